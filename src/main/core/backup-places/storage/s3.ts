import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SecretProvider } from './secrets';
import { s3Error } from './s3-errors';
import { MIN_PART, resumableMultipart } from './s3-multipart';
import {
  checkObjectPath,
  type HealthReport,
  type PutOptions,
  type PutResult,
  type StorageLocation,
  type StoredObject,
} from './location';

export interface S3Options {
  id: string;
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Key prefix inside the bucket. */
  prefix?: string;
  /** Named credentials from the secret provider; unset: the SDK's chain (the environment). */
  credentialsRef?: string;
  secrets?: SecretProvider;
  /** Where interrupted multipart uploads are journalled. */
  stateDir: string;
  partSize?: number;
}

/** Backups in an S3-compatible bucket (AWS, MinIO, Ceph, …), multipart uploads resumed. */
export class S3Location implements StorageLocation {
  readonly type = 'cloud' as const;
  readonly id: string;
  private client: S3Client | null = null;
  lastSync: string | null = null;

  constructor(private readonly opts: S3Options) {
    this.id = opts.id;
  }

  private async s3(): Promise<S3Client> {
    if (this.client) return this.client;
    const creds = this.opts.credentialsRef
      ? await this.opts.secrets!.s3Credentials(this.opts.credentialsRef)
      : undefined;
    this.client = new S3Client({
      region: this.opts.region,
      endpoint: this.opts.endpoint,
      forcePathStyle: this.opts.forcePathStyle ?? false,
      credentials: creds,
      // Checksums only where S3 demands them: many S3-compatible stores reject the newer
      // trailing-checksum uploads, and every stored file is hashed by Rigger anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
    });
    return this.client;
  }

  private key(path: string): string {
    return (
      (this.opts.prefix ? `${this.opts.prefix.replace(/\/+$/, '')}/` : '') + checkObjectPath(path)
    );
  }

  private where(key?: string) {
    return { id: this.id, bucket: this.opts.bucket, key };
  }

  async put(localFile: string, path: string, opts: PutOptions = {}): Promise<PutResult> {
    const key = this.key(path);
    const client = await this.s3();
    const partSize = Math.max(MIN_PART, this.opts.partSize ?? 8 * 1024 * 1024);
    try {
      const { size } = await stat(localFile);
      if (size > partSize) {
        return await resumableMultipart(
          client,
          this.opts.stateDir,
          { bucket: this.opts.bucket, key },
          localFile,
          partSize,
          opts,
        );
      }
      const upload = new Upload({
        client,
        params: { Bucket: this.opts.bucket, Key: key, Body: createReadStream(localFile) },
        partSize,
      });
      upload.on('httpUploadProgress', (p) => opts.onProgress?.(p.loaded ?? 0, size));
      await upload.done();
      return { size, resumed_from: 0 };
    } catch (err) {
      throw s3Error(err, this.where(key));
    }
  }

  private async body(path: string): Promise<Readable> {
    const key = this.key(path);
    try {
      const out = await (
        await this.s3()
      ).send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      return out.Body as Readable;
    } catch (err) {
      throw s3Error(err, this.where(key));
    }
  }

  async get(path: string, localFile: string): Promise<void> {
    await pipeline(await this.body(path), createWriteStream(localFile));
  }

  async hash(path: string): Promise<string> {
    const h = createHash('sha256');
    await pipeline(await this.body(path), h);
    return h.digest('hex');
  }

  async list(prefix = ''): Promise<StoredObject[]> {
    const base = this.opts.prefix ? `${this.opts.prefix.replace(/\/+$/, '')}/` : '';
    const out: StoredObject[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; page < 1000; page++) {
        const res = await (
          await this.s3()
        ).send(
          new ListObjectsV2Command({
            Bucket: this.opts.bucket,
            Prefix: base + prefix,
            ContinuationToken: token,
          }),
        );
        for (const o of res.Contents ?? [])
          out.push({ path: o.Key!.slice(base.length), size: o.Size ?? 0 });
        if (!res.IsTruncated) break;
        token = res.NextContinuationToken;
      }
    } catch (err) {
      throw s3Error(err, this.where());
    }
    return out;
  }

  async delete(path: string): Promise<void> {
    const key = this.key(path);
    try {
      await (await this.s3()).send(new DeleteObjectCommand({ Bucket: this.opts.bucket, Key: key }));
    } catch (err) {
      throw s3Error(err, this.where(key));
    }
  }

  async stat(path: string): Promise<StoredObject | null> {
    const key = this.key(path);
    try {
      const out = await (
        await this.s3()
      ).send(new HeadObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      return { path, size: out.ContentLength ?? 0 };
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return null;
      throw s3Error(err, this.where(key));
    }
  }

  async health(): Promise<HealthReport> {
    try {
      await (await this.s3()).send(new HeadBucketCommand({ Bucket: this.opts.bucket }));
      return { health: 'connected' };
    } catch (err) {
      const e = s3Error(err, this.where());
      return { health: e.code === 'HOST_UNREACHABLE' ? 'offline' : 'error', detail: e.message };
    }
  }

  async close(): Promise<void> {
    this.client?.destroy();
    this.client = null;
  }
}
