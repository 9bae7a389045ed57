import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { PutOptions, PutResult } from './location';

/** S3's smallest part (all but the last). */
export const MIN_PART = 5 * 1024 * 1024;

interface Journal {
  bucket: string;
  key: string;
  upload_id: string;
  part_size: number;
  size: number;
  mtime_ms: number;
}

async function readPart(file: string, start: number, length: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file, { start, end: start + length - 1 }))
    chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The parts S3 already holds for an upload (ListParts, every page); null when the upload is gone. */
async function partsOnServer(
  client: S3Client,
  j: Journal,
): Promise<Map<number, { etag: string; size: number }> | null> {
  const parts = new Map<number, { etag: string; size: number }>();
  let marker: string | undefined;
  try {
    for (let page = 0; page < 100; page++) {
      const out = await client.send(
        new ListPartsCommand({
          Bucket: j.bucket,
          Key: j.key,
          UploadId: j.upload_id,
          PartNumberMarker: marker,
        }),
      );
      for (const p of out.Parts ?? [])
        if (p.PartNumber && p.ETag) parts.set(p.PartNumber, { etag: p.ETag, size: p.Size ?? 0 });
      if (!out.IsTruncated) break;
      marker = out.NextPartNumberMarker;
    }
  } catch (err) {
    if ((err as Error).name === 'NoSuchUpload') return null;
    throw err;
  }
  return parts;
}

/**
 * A multipart upload that survives being cut: its upload id is journalled beside Rigger's data,
 * and a later put of the same file asks S3 which parts it has (ListParts) and sends only the
 * rest. A journal for another version of the file (size or mtime changed) is started over.
 */
export async function resumableMultipart(
  client: S3Client,
  stateDir: string,
  target: { bucket: string; key: string },
  localFile: string,
  partSize: number,
  opts: PutOptions,
): Promise<PutResult> {
  const s = await stat(localFile);
  await mkdir(stateDir, { recursive: true });
  const journalFile = join(
    stateDir,
    createHash('sha256').update(`${target.bucket}/${target.key}`).digest('hex').slice(0, 32) +
      '.json',
  );
  let journal = await readFile(journalFile, 'utf8')
    .then((t) => JSON.parse(t) as Journal)
    .catch(() => null);
  if (
    journal &&
    (journal.size !== s.size || journal.mtime_ms !== s.mtimeMs || journal.part_size !== partSize)
  )
    journal = null;
  let done = journal ? await partsOnServer(client, journal) : null;
  if (!journal || !done) {
    const created = await client.send(
      new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key }),
    );
    journal = {
      ...target,
      upload_id: created.UploadId!,
      part_size: partSize,
      size: s.size,
      mtime_ms: s.mtimeMs,
    };
    await writeFile(journalFile, JSON.stringify(journal));
    done = new Map();
  }
  const count = Math.max(1, Math.ceil(s.size / partSize));
  const lengthOf = (n: number) => Math.min(partSize, s.size - (n - 1) * partSize);
  // A part counts only when S3 holds all of it.
  for (const [n, p] of done) if (n > count || p.size !== lengthOf(n)) done.delete(n);
  let resumedFrom = 0;
  for (const n of done.keys()) resumedFrom += lengthOf(n);
  let sent = resumedFrom;
  opts.onProgress?.(sent, s.size);
  for (let n = 1; n <= count; n++) {
    if (done.has(n)) continue;
    opts.signal?.throwIfAborted();
    const body = await readPart(localFile, (n - 1) * partSize, lengthOf(n));
    const out = await client.send(
      new UploadPartCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId: journal.upload_id,
        PartNumber: n,
        Body: body,
      }),
      { abortSignal: opts.signal },
    );
    done.set(n, { etag: out.ETag!, size: body.length });
    sent += body.length;
    opts.onProgress?.(sent, s.size);
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: target.bucket,
      Key: target.key,
      UploadId: journal.upload_id,
      MultipartUpload: {
        Parts: [...done]
          .sort((a, b) => a[0] - b[0])
          .map(([n, p]) => ({ PartNumber: n, ETag: p.etag })),
      },
    }),
  );
  await rm(journalFile, { force: true });
  return { size: s.size, resumed_from: resumedFrom };
}
