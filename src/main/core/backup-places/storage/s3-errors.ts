import { RiggerError } from '../../../../shared/errors';

/** Turn an S3 SDK error into one a technician can act on (bucket missing, refused, unreachable). */
export function s3Error(
  err: unknown,
  where: { id: string; bucket: string; key?: string },
): RiggerError {
  if (err instanceof RiggerError) return err;
  const e = err as Error & {
    name?: string;
    Code?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e.name ?? e.Code ?? '';
  const status = e.$metadata?.httpStatusCode;
  const details = {
    storage: where.id,
    bucket: where.bucket,
    key: where.key,
    cause: name || e.message,
  };
  if (name === 'NoSuchBucket' || (status === 404 && !where.key)) {
    return new RiggerError('NOT_FOUND', `The bucket ${where.bucket} does not exist`, details, [
      'Check the bucket name and region of this location',
    ]);
  }
  if (
    ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden'].includes(name) ||
    status === 403
  ) {
    return new RiggerError(
      'AUTH_FAILED',
      `The bucket ${where.bucket} refused access (${name || status})`,
      details,
      [
        'Check the access key and secret of this location',
        'Check that the key may write to this bucket',
      ],
    );
  }
  if (
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE'].includes(e.code ?? '') ||
    name === 'TimeoutError'
  ) {
    return new RiggerError(
      'HOST_UNREACHABLE',
      `Cannot reach the storage of ${where.id}: ${e.message}`,
      details,
      ['Check the network and the endpoint of this location'],
    );
  }
  return new RiggerError('INTERNAL', `S3 error on ${where.id}: ${name} ${e.message}`, details);
}
