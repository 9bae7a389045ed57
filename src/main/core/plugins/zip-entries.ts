import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { RiggerError } from '../../../shared/errors';

/** The most members a plugin ZIP may hold: its central directory is read whole. */
export const MAX_ENTRIES = 10_000;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** An invalid plugin ZIP: nothing is written anywhere. */
export const invalidZip = (message: string, details: Record<string, unknown> = {}) =>
  new RiggerError('VALIDATION_ERROR', `Invalid plugin ZIP: ${message}`, details, [
    'Ask the vendor for a correct plugin ZIP',
  ]);

export interface ZipMember {
  name: string;
  directory: boolean;
  /** What the central directory declares; nothing has been inflated yet. */
  size: number;
  /** 0o755 when the ZIP marks it executable, else 0o644 (no other bits travel). */
  mode: number;
  entry: Entry;
}

/** A member name as a safe relative path, or why not (ZIP-slip, odd encodings). */
function checkName(entry: Entry): string {
  let name: string;
  try {
    name = utf8.decode(entry.fileNameRaw);
  } catch {
    throw invalidZip('a member name is not valid UTF-8', {
      member_hex: entry.fileNameRaw.toString('hex'),
    });
  }
  const d = { member: name };
  if (name.includes('\0')) throw invalidZip(`member "${name}" has a NUL in its name`, d);
  if (name.includes('\\'))
    throw invalidZip(`member "${name}" has a backslash: paths use "/" only`, d);
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name))
    throw invalidZip(`member "${name}" has an absolute path`, d);
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.includes('..')) throw invalidZip(`member "${name}" climbs out with ".."`, d);
  if (parts.some((p) => p === '' || p === '.'))
    throw invalidZip(`member "${name}" has an empty or "." path part`, d);
  return name;
}

/** Is this member a link, a device or anything but a plain file or folder? */
function checkType(entry: Entry, name: string): boolean {
  const directory = name.endsWith('/');
  // Unix "made by" (3) keeps the st_mode in the high half of the external attributes.
  const madeByUnix = entry.versionMadeBy >> 8 === 3;
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (madeByUnix && mode === S_IFLNK)
    throw invalidZip(`member "${name}" is a symbolic link`, { member: name });
  if (madeByUnix && mode !== 0 && mode !== S_IFREG && mode !== S_IFDIR)
    throw invalidZip(`member "${name}" is not a plain file`, { member: name, mode });
  if (entry.isEncrypted()) throw invalidZip(`member "${name}" is encrypted`, { member: name });
  if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)
    throw invalidZip(`member "${name}" uses compression method ${entry.compressionMethod}`, {
      member: name,
    });
  if (directory && entry.uncompressedSize !== 0)
    throw invalidZip(`folder "${name}" claims content`, { member: name });
  return directory;
}

/** Open a ZIP and read its central directory only: names, types and declared sizes. */
export async function readCentralDirectory(
  path: string,
): Promise<{ zip: ZipFile; members: ZipMember[] }> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true },
      (err, z) => (err ? reject(invalidZip(err.message)) : resolve(z)),
    ),
  );
  if (zip.entryCount > MAX_ENTRIES) {
    zip.close();
    throw invalidZip(`it holds ${zip.entryCount} members (at most ${MAX_ENTRIES})`);
  }
  const members: ZipMember[] = [];
  const seen = new Set<string>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        try {
          const name = checkName(entry);
          const directory = checkType(entry, name);
          const key = name.replace(/\/$/, '');
          if (seen.has(key)) throw invalidZip(`member "${name}" appears twice`, { member: name });
          seen.add(key);
          const exec =
            entry.versionMadeBy >> 8 === 3 && (entry.externalFileAttributes >>> 16) & 0o111;
          const mode = exec ? 0o755 : 0o644;
          members.push({ name: key, directory, size: entry.uncompressedSize, mode, entry });
          zip.readEntry();
        } catch (err) {
          reject(err);
        }
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) =>
        reject(err instanceof RiggerError ? err : invalidZip(err.message)),
      );
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }
  return { zip, members };
}

/**
 * Inflate one member, refusing it the moment it gives more bytes than its declared size (a
 * ZIP bomb stops there), or fewer at the end.
 */
export async function* inflate(zip: ZipFile, m: ZipMember, limit: number): AsyncIterable<Buffer> {
  const stream = await new Promise<Readable>((resolve, reject) =>
    zip.openReadStream(m.entry, (err, s) => (err ? reject(invalidZip(err.message)) : resolve(s))),
  );
  let got = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      got += chunk.length;
      if (got > limit)
        throw new RiggerError(
          'OTA_005',
          `Invalid update file: member "${m.name}" inflates past its declared ${limit} bytes`,
          { member: m.name, declared: limit },
          ['The ZIP is damaged or hostile: do not use it'],
        );
      yield chunk;
    }
  } catch (err) {
    stream.destroy();
    if (err instanceof RiggerError) throw err;
    throw new RiggerError(
      'OTA_005',
      `Invalid update file: member "${m.name}" cannot be read: ${(err as Error).message}`,
      { member: m.name },
    );
  }
  if (got !== limit)
    throw new RiggerError(
      'OTA_005',
      `Invalid update file: member "${m.name}" has ${got} bytes, ${limit} declared`,
      { member: m.name, declared: limit, actual: got },
    );
}
