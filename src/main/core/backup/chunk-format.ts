import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, webcrypto } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';

/**
 * Rigger's encrypted object format, version 1 (docs/backup-format.md): a 64-byte header, then
 * AES-256-GCM chunks of `chunk_size` plaintext bytes (the last one shorter or equal), each
 * followed by its 16-byte tag. Every object has its own key, derived by HKDF from the backup key
 * and a random salt in the header, so the chunk index can be the nonce; the nonce's last byte
 * and the additional data mark the final chunk, and the additional data covers the whole header.
 */

export const MAGIC = Buffer.from('RGBKENC1', 'ascii');
export const FORMAT_VERSION = 1;
export const ALG_AES_256_GCM = 1;
export const HEADER_SIZE = 64;
export const TAG_SIZE = 16;
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/** Chunk sizes a reader accepts: bounds the memory an object from outside can ask for. */
export const MIN_CHUNK_SIZE = 4096;
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
export const KEY_ID_BYTES = 8;
const SALT_BYTES = 32;
const INFO = Buffer.from('rigger-backup v1 object key', 'ascii');

export interface ObjectHeader {
  version: number;
  chunkSize: number;
  keyId: string;
  salt: Buffer;
  /** The header's exact bytes: the additional data of every chunk. */
  raw: Buffer;
}

/** The clear error for anything that does not decrypt and authenticate. */
export const encryptionError = (message: string, details: Record<string, unknown> = {}) =>
  new RiggerError('ENCRYPTION_ERROR', message, details, [
    'Check that the backup key or passphrase is the one this backup was made with',
    'If the backup file was copied, copy it again: it is damaged',
  ]);

/**
 * Header layout: magic(8) version(1) alg(1) reserved(2) chunk_size(u32 BE) key_id(8) salt(32)
 * reserved(8).
 */
export function makeHeader(keyId: string, chunkSize = DEFAULT_CHUNK_SIZE): ObjectHeader {
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE)
    throw new RiggerError('VALIDATION_ERROR', `Chunk size ${chunkSize} is out of bounds`);
  const raw = Buffer.alloc(HEADER_SIZE);
  MAGIC.copy(raw, 0);
  raw[8] = FORMAT_VERSION;
  raw[9] = ALG_AES_256_GCM;
  raw.writeUInt32BE(chunkSize, 12);
  const id = Buffer.from(keyId, 'hex');
  if (id.length !== KEY_ID_BYTES) throw new RiggerError('INTERNAL', `Bad key id ${keyId}`);
  id.copy(raw, 16);
  const salt = randomBytes(SALT_BYTES);
  salt.copy(raw, 24);
  return { version: FORMAT_VERSION, chunkSize, keyId, salt, raw };
}

/** Parse and check a header from an object of unknown origin. */
export function parseHeader(raw: Buffer): ObjectHeader {
  if (raw.length < HEADER_SIZE) throw encryptionError('The object is too short to hold a header');
  if (!raw.subarray(0, 8).equals(MAGIC))
    throw encryptionError('Not a Rigger encrypted object (bad magic)');
  const version = raw[8]!;
  if (version !== FORMAT_VERSION)
    throw encryptionError(`Unknown object format version ${version}`, { version });
  if (raw[9] !== ALG_AES_256_GCM)
    throw encryptionError(`Unknown cipher ${raw[9]}`, { algorithm: raw[9] });
  const chunkSize = raw.readUInt32BE(12);
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE)
    throw encryptionError(`Chunk size ${chunkSize} is out of bounds`, { chunk_size: chunkSize });
  return {
    version,
    chunkSize,
    keyId: raw.subarray(16, 24).toString('hex'),
    salt: Buffer.from(raw.subarray(24, 56)),
    raw: Buffer.from(raw.subarray(0, HEADER_SIZE)),
  };
}

/** The object's own key: HKDF-SHA256 of the backup key with the header's salt. */
export function objectKey(key: Buffer, header: ObjectHeader): Buffer {
  return Buffer.from(hkdfSync('sha256', key, header.salt, INFO, 32));
}

/** Nonce: the chunk index (u64 BE), three zero bytes, then 1 for the final chunk, else 0. */
function nonce(index: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 0);
  n[11] = final ? 1 : 0;
  return n;
}

/** Additional data: the header, the index and the final flag again (belt and braces). */
function aad(header: ObjectHeader, index: number, final: boolean): Buffer {
  const tail = Buffer.alloc(9);
  tail.writeBigUInt64BE(BigInt(index), 0);
  tail[8] = final ? 1 : 0;
  return Buffer.concat([header.raw, tail]);
}

/** Encrypt one chunk: ciphertext then tag. */
export function sealChunk(
  okey: Buffer,
  header: ObjectHeader,
  index: number,
  final: boolean,
  plain: Buffer,
): Buffer {
  const c = createCipheriv('aes-256-gcm', okey, nonce(index, final));
  c.setAAD(aad(header, index, final));
  const body = c.update(plain);
  c.final();
  return Buffer.concat([body, c.getAuthTag()]);
}

/** Decrypt and authenticate one chunk; any change to it, its place or the header fails. */
export function openChunk(
  okey: Buffer,
  header: ObjectHeader,
  index: number,
  final: boolean,
  sealed: Buffer,
): Buffer {
  if (sealed.length < TAG_SIZE) throw encryptionError('The object is truncated', { chunk: index });
  const d = createDecipheriv('aes-256-gcm', okey, nonce(index, final));
  d.setAAD(aad(header, index, final));
  d.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
  const body = d.update(sealed.subarray(0, sealed.length - TAG_SIZE));
  try {
    d.final();
  } catch {
    throw encryptionError(
      final
        ? `Chunk ${index} does not authenticate as the last one: the object is truncated, reordered or damaged`
        : `Chunk ${index} does not authenticate: the object is damaged, reordered or not of this key`,
      { chunk: index, final },
    );
  }
  return body;
}

/**
 * Decrypt a whole small object off the main thread (WebCrypto runs on libuv's pool), so a
 * verify can check several objects at once. Same checks as `openChunk`, chunk by chunk.
 */
export async function openObjectAsync(
  keys: (keyId: string) => { key: Buffer },
  sealed: Buffer,
): Promise<Buffer> {
  const header = parseHeader(sealed);
  const okey = await webcrypto.subtle.importKey(
    'raw',
    objectKey(keys(header.keyId).key, header),
    'AES-GCM',
    false,
    ['decrypt'],
  );
  const block = header.chunkSize + TAG_SIZE;
  const out: Buffer[] = [];
  let at = HEADER_SIZE;
  for (let index = 0; ; index++) {
    const final = sealed.length - at <= block;
    const end = final ? sealed.length : at + block;
    if (end - at < TAG_SIZE)
      throw encryptionError('The object is truncated: its last chunk is missing');
    try {
      const plain = await webcrypto.subtle.decrypt(
        { name: 'AES-GCM', iv: nonce(index, final), additionalData: aad(header, index, final) },
        okey,
        sealed.subarray(at, end),
      );
      out.push(Buffer.from(plain));
    } catch {
      throw encryptionError(
        `Chunk ${index} does not authenticate: the object is truncated, reordered or damaged`,
        {
          chunk: index,
          final,
        },
      );
    }
    at = end;
    if (final) return Buffer.concat(out);
  }
}
