import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from '../gateway-sim/sshd';

export interface S3Server {
  endpoint: string;
  /** s3rver's built-in account: any other key is refused with InvalidAccessKeyId. */
  accessKeyId: string;
  secretAccessKey: string;
  /** Cut every connection and stop listening (a network cut mid-upload). */
  stop(): Promise<void>;
  /** Listen again on the same port with the same data. */
  start(): Promise<void>;
}

/**
 * ListParts (GET /bucket/key?uploadId=…), answered from s3rver's own part files. s3rver stores
 * multipart parts but does not implement this one read of them; without it no client can
 * resume an upload. This shim is the only part of the S3 peer that is not s3rver's code.
 */
function listPartsShim(dir: string) {
  return async (
    ctx: {
      method: string;
      path: string;
      query: Record<string, unknown>;
      status: number;
      body: unknown;
      type: string;
    },
    next: () => Promise<void>,
  ) => {
    const uploadId = ctx.query.uploadId;
    if (ctx.method !== 'GET' || typeof uploadId !== 'string' || !/^[0-9a-f]+$/.test(uploadId))
      return next();
    const [, bucket, ...keyParts] = ctx.path.split('/');
    const uploadDir = join(dir, bucket!, '._S3rver_uploads', uploadId);
    let names: string[];
    try {
      names = readdirSync(uploadDir).filter((n) => /^\d+$/.test(n));
    } catch {
      ctx.status = 404;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist</Message></Error>`;
      return;
    }
    const parts = names
      .map(Number)
      .sort((a, b) => a - b)
      .map((n) => {
        const file = join(uploadDir, String(n));
        const md5 = readFileSync(`${file}.md5`, 'utf8').trim();
        return `<Part><PartNumber>${n}</PartNumber><ETag>"${md5}"</ETag><Size>${statSync(file).size}</Size></Part>`;
      });
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><Bucket>${bucket}</Bucket><Key>${keyParts.join('/')}</Key><UploadId>${uploadId}</UploadId><IsTruncated>false</IsTruncated>${parts.join('')}</ListPartsResult>`;
  };
}

/** s3rver (an S3 REST API server) on 127.0.0.1 with the given buckets, data in a temp folder. */
export async function startS3(buckets: string[]): Promise<S3Server> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-s3-'));
  const port = await freePort();
  let server: S3rver | null = null;
  const start = async () => {
    server = new S3rver({
      port,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: buckets.map((name) => ({ name, configs: [] })),
    });
    (server as unknown as { middleware: unknown[] }).middleware.unshift(listPartsShim(dir));
    await server.run();
  };
  await start();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    start,
    async stop() {
      const http = (server as unknown as { httpServer: Server }).httpServer;
      http.closeAllConnections();
      await server!.close();
    },
  };
}
