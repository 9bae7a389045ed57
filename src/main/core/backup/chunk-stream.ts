import { Transform, type TransformCallback } from 'node:stream';
import {
  DEFAULT_CHUNK_SIZE,
  HEADER_SIZE,
  TAG_SIZE,
  encryptionError,
  makeHeader,
  objectKey,
  openChunk,
  parseHeader,
  sealChunk,
  type ObjectHeader,
} from './chunk-format';
import type { BackupKey } from './keys';

/** Bytes queued in arrival order, taken off the front in exact sizes without re-copying all. */
class Queue {
  private parts: Buffer[] = [];
  length = 0;
  push(b: Buffer) {
    if (!b.length) return;
    this.parts.push(b);
    this.length += b.length;
  }
  take(n: number): Buffer {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.parts[0]!;
      if (head.length <= need) {
        out.push(head);
        this.parts.shift();
        need -= head.length;
      } else {
        out.push(head.subarray(0, need));
        this.parts[0] = head.subarray(need);
        need = 0;
      }
    }
    this.length -= n;
    return out.length === 1 ? out[0]! : Buffer.concat(out, n);
  }
}

/**
 * Encrypt a stream into one object. A chunk is only sealed once it is known whether more data
 * follows, so the last chunk (possibly empty, for empty input) carries the final flag.
 */
export function encryptStream(key: BackupKey, chunkSize = DEFAULT_CHUNK_SIZE): Transform {
  const header = makeHeader(key.id, chunkSize);
  const okey = objectKey(key.key, header);
  const q = new Queue();
  let index = 0;
  return new Transform({
    construct(cb) {
      this.push(header.raw);
      cb();
    },
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      q.push(chunk);
      while (q.length > chunkSize)
        this.push(sealChunk(okey, header, index++, false, q.take(chunkSize)));
      cb();
    },
    flush(cb) {
      this.push(sealChunk(okey, header, index++, true, q.take(q.length)));
      cb();
    },
  });
}

/**
 * Decrypt and authenticate one object. Plaintext of a chunk is passed on only after its tag
 * checks; the stream fails on a wrong key, a damaged, reordered or missing chunk, or bytes after
 * the final chunk (they would make the real final chunk fail as a non-final one).
 */
export function decryptStream(keys: (keyId: string) => BackupKey): Transform {
  const q = new Queue();
  let header: ObjectHeader | null = null;
  let okey: Buffer | null = null;
  let block = 0;
  let index = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        q.push(chunk);
        if (!header) {
          if (q.length < HEADER_SIZE) return cb();
          header = parseHeader(q.take(HEADER_SIZE));
          okey = objectKey(keys(header.keyId).key, header);
          block = header.chunkSize + TAG_SIZE;
        }
        while (q.length > block) this.push(openChunk(okey!, header, index++, false, q.take(block)));
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      try {
        if (!header) throw encryptionError('The object is truncated: no complete header');
        if (q.length < TAG_SIZE)
          throw encryptionError('The object is truncated: its last chunk is missing', {
            chunks_read: index,
          });
        this.push(openChunk(okey!, header, index++, true, q.take(q.length)));
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
  });
}

/** Encrypt a buffer whole (manifests, key files): the same format as the stream. */
export function encryptBuffer(key: BackupKey, plain: Buffer, chunkSize = DEFAULT_CHUNK_SIZE) {
  const header = makeHeader(key.id, chunkSize);
  const okey = objectKey(key.key, header);
  const out: Buffer[] = [header.raw];
  let index = 0;
  let at = 0;
  while (plain.length - at > chunkSize) {
    out.push(sealChunk(okey, header, index++, false, plain.subarray(at, at + chunkSize)));
    at += chunkSize;
  }
  out.push(sealChunk(okey, header, index, true, plain.subarray(at)));
  return Buffer.concat(out);
}

/** Decrypt a whole object held in memory. */
export function decryptBuffer(keys: (keyId: string) => BackupKey, sealed: Buffer): Buffer {
  const header = parseHeader(sealed);
  const okey = objectKey(keys(header.keyId).key, header);
  const block = header.chunkSize + TAG_SIZE;
  const out: Buffer[] = [];
  let at = HEADER_SIZE;
  let index = 0;
  while (sealed.length - at > block) {
    out.push(openChunk(okey, header, index++, false, sealed.subarray(at, at + block)));
    at += block;
  }
  if (sealed.length - at < TAG_SIZE)
    throw encryptionError('The object is truncated: its last chunk is missing');
  out.push(openChunk(okey, header, index, true, sealed.subarray(at)));
  return Buffer.concat(out);
}

/** The key id an object was sealed with, from its header alone. */
export const objectKeyId = (head: Buffer) => parseHeader(head).keyId;
