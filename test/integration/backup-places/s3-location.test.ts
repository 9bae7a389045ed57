import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes, createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Location } from '../../../src/main/core/backup-places/storage/s3';
import { envSecrets } from '../../../src/main/core/backup-places/storage/secrets';
import { startS3, type S3Server } from '../../helpers/s3';

const MiB = 1024 * 1024;
let s3: S3Server;
let dir: string;

function location(bucket: string, over: { ref?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new S3Location({
    id: 'aws',
    bucket,
    region: 'us-east-1',
    endpoint: s3.endpoint,
    forcePathStyle: true,
    prefix: 'site-a',
    credentialsRef: over.ref ?? 'bucket',
    secrets: envSecrets(
      over.env ?? {
        RIGGER_STORAGE_BUCKET_ACCESS_KEY_ID: s3.accessKeyId,
        RIGGER_STORAGE_BUCKET_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
    ),
    stateDir: join(dir, 'state'),
    partSize: 5 * MiB,
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  s3 = await startS3(['backups']);
  dir = mkdtempSync(join(tmpdir(), 'rigger-s3-test-'));
});
afterAll(async () => {
  await s3?.stop();
});

describe('S3 location against s3rver', () => {
  it('puts, lists, reads back, hashes and deletes a small file', async () => {
    const loc = location('backups');
    const file = join(dir, 'small.bin');
    const data = randomBytes(64 * 1024);
    writeFileSync(file, data);
    await loc.put(file, 'GW-001/b1/config.rbk');
    expect(await loc.stat('GW-001/b1/config.rbk')).toEqual({
      path: 'GW-001/b1/config.rbk',
      size: data.length,
    });
    expect(await loc.list('GW-001/')).toEqual([
      { path: 'GW-001/b1/config.rbk', size: data.length },
    ]);
    expect(await loc.hash('GW-001/b1/config.rbk')).toBe(sha(data));
    const back = join(dir, 'back.bin');
    await loc.get('GW-001/b1/config.rbk', back);
    expect(readFileSync(back).equals(data)).toBe(true);
    await loc.delete('GW-001/b1/config.rbk');
    expect(await loc.stat('GW-001/b1/config.rbk')).toBeNull();
    expect(await loc.health()).toEqual({ health: 'connected' });
    await loc.close();
  });

  it('resumes a multipart upload cut in the middle: parts already sent are not sent again', async () => {
    const file = join(dir, 'big.bin');
    const data = randomBytes(17 * MiB);
    writeFileSync(file, data);
    const first = location('backups');
    let cut = false;
    const progress: number[] = [];
    await expect(
      first.put(file, 'GW-001/b2/system.rbk', {
        onProgress: (sent) => {
          progress.push(sent);
          // After two 5 MiB parts, the network goes away.
          if (sent >= 10 * MiB && !cut) {
            cut = true;
            void s3.stop();
          }
        },
      }),
    ).rejects.toMatchObject({ code: 'HOST_UNREACHABLE' });
    await first.close();
    await s3.start();
    const second = location('backups');
    const sentAfter: number[] = [];
    const out = await second.put(file, 'GW-001/b2/system.rbk', {
      onProgress: (s) => sentAfter.push(s),
    });
    expect(out).toEqual({ size: data.length, resumed_from: 10 * MiB });
    expect(sentAfter[0]).toBe(10 * MiB);
    expect(await second.hash('GW-001/b2/system.rbk')).toBe(sha(data));
    expect(await second.stat('GW-001/b2/system.rbk')).toMatchObject({ size: data.length });
    await second.close();
  });

  it('a bucket that does not exist is NOT_FOUND, and health says error', async () => {
    const loc = location('no-such-bucket');
    const file = join(dir, 'x.bin');
    writeFileSync(file, 'x');
    await expect(loc.put(file, 'a/b.rbk')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await loc.health()).toMatchObject({ health: 'error' });
  });

  it('a key the store refuses cannot write: AUTH_FAILED, nothing stored', async () => {
    // s3rver checks the access key (403 InvalidAccessKeyId) but not SigV4 signatures.
    const loc = location('backups', {
      env: {
        RIGGER_STORAGE_BUCKET_ACCESS_KEY_ID: 'NOT-A-KEY-OF-THIS-STORE',
        RIGGER_STORAGE_BUCKET_SECRET_ACCESS_KEY: 'whatever',
      },
    });
    const file = join(dir, 'y.bin');
    writeFileSync(file, 'y');
    await expect(loc.put(file, 'GW-001/denied.rbk')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(await location('backups').stat('GW-001/denied.rbk')).toBeNull();
    await expect(location('backups', { env: {} }).put(file, 'x.rbk')).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
    });
  });

  it('the bucket is a real S3 endpoint: a plain SDK client can create buckets on it', async () => {
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await client.send(new CreateBucketCommand({ Bucket: 'made-by-sdk' }));
    expect(await location('made-by-sdk').health()).toEqual({ health: 'connected' });
    client.destroy();
  });
});
