import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { RiggerError } from '../../../shared/errors';
import { MAX_ENTRIES, type ManifestEntry } from './manifest';
import { mismatch } from './object-store';
import type { BackupWriter } from './writer';

export interface IngestResult {
  entries: ManifestEntry[];
  files: number;
  /** Plaintext bytes of the files read. */
  bytes: number;
}

/** The entry's bytes, counted as they pass (a 'data' listener would start the flow too early). */
async function* counted(entry: ReadEntry, onBytes?: (n: number) => void): AsyncIterable<Buffer> {
  for await (const c of entry as AsyncIterable<Buffer>) {
    onBytes?.(c.length);
    yield c;
  }
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** A tar member's absolute path on the gateway (the archive is made from `/`). */
export function memberPath(name: string): string {
  if (name.split('/').includes('..'))
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The gateway's archive holds a path with ..: ${name}`,
    );
  const p = posix.normalize(`/${name.replace(/^(\.\/)+/, '')}`).replace(/\/+$/, '');
  return p || '/';
}

const failed = (message: string, details: Record<string, unknown>) =>
  new RiggerError('BACKUP_FAILED', message, details, [
    'Back up again: a file changed on the gateway while it was read',
  ]);

/**
 * Read a component's tar stream into the store: each file is hashed as it comes (and its size
 * checked against the tar header), and only content the store does not have yet is encrypted
 * and written. When the gateway's listing is in already, a file is checked against it at once
 * and known content is only hashed; `checkListing` then proves the whole against the listing.
 */
export async function ingestTar(
  source: Readable,
  component: string,
  listed: () => Map<string, string> | null,
  writer: BackupWriter,
  onBytes?: (n: number) => void,
): Promise<IngestResult> {
  const parser = new Parser({ strict: true });
  const entries: ManifestEntry[] = [];
  const byPath = new Map<string, ManifestEntry>();
  let problem: unknown = null;
  let files = 0;
  let bytes = 0;
  let work: Promise<void> = Promise.resolve();

  const take = async (entry: ReadEntry, path: string): Promise<void> => {
    const base: ManifestEntry = {
      component,
      path,
      type: 'other',
      mode: (entry.mode ?? 0) & 0o7777,
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
      mtime: entry.mtime ? entry.mtime.getTime() / 1000 : 0,
      size: 0,
      ...(entry.uname && entry.gname ? { owner: `${entry.uname}/${entry.gname}` } : {}),
    };
    if (FILE_TYPES.has(entry.type)) {
      const listing = listed();
      const expected = listing?.get(path);
      if (listing && !expected)
        throw failed(`${path} came in the archive but was not in the listing`, { path });
      const content = counted(entry, onBytes);
      let sha: string;
      if (expected && writer.known(expected)) {
        // Stored already: the bytes are still read and proven, but not written again.
        const h = createHash('sha256');
        let size = 0;
        for await (const c of content) {
          h.update(c);
          size += c.length;
        }
        sha = h.digest('hex');
        if (sha !== expected) throw mismatch(path, expected, sha);
        if (size !== entry.size)
          throw failed(`${path} is shorter than its tar header says`, { path });
      } else {
        const what = { sha256: expected, size: entry.size, what: path };
        sha = (await writer.put(content, what)).sha256;
      }
      files++;
      bytes += entry.size;
      return void add({ ...base, type: 'file', size: entry.size, sha256: sha });
    }
    entry.resume();
    if (entry.type === 'Directory') return void add({ ...base, type: 'dir' });
    if (entry.type === 'SymbolicLink')
      return void add({ ...base, type: 'symlink', link: entry.linkpath ?? '' });
    if (entry.type === 'Link') {
      const target = memberPath(entry.linkpath ?? '');
      const t = byPath.get(target);
      if (!t?.sha256)
        throw failed(`Hard link ${path} points at ${target}, not archived before it`, { path });
      return void add({ ...base, type: 'hardlink', link: target, size: t.size, sha256: t.sha256 });
    }
    add(base);
  };
  const add = (e: ManifestEntry) => {
    if (entries.length >= MAX_ENTRIES)
      throw failed(`More than ${MAX_ENTRIES} entries in ${component}`, { component });
    entries.push(e);
    byPath.set(e.path, e);
  };

  parser.on('entry', (entry: ReadEntry) => {
    if (problem) return void entry.resume();
    let path: string;
    try {
      path = memberPath(entry.path);
    } catch (err) {
      problem = err;
      return void entry.resume();
    }
    // Entries come one at a time (the parser waits for each to end), so this stays in order.
    work = work.then(() =>
      take(entry, path).catch((err: unknown) => {
        problem ??= err;
        entry.resume();
      }),
    );
  });
  parser.on('warn', (code: string, message: string) => {
    problem ??= new RiggerError('BACKUP_FAILED', `The gateway's archive is damaged: ${message}`, {
      code,
    });
  });
  try {
    await pipeline(source, parser);
  } catch (err) {
    problem ??= err;
  }
  await work;
  if (problem) throw problem;
  return { entries, files, bytes };
}

/**
 * Prove what came against what the gateway listed: every file and hard link hashes to its
 * listed SHA-256, and every listed file came.
 */
export function checkListing(entries: ManifestEntry[], listed: Map<string, string>): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.type !== 'file' && e.type !== 'hardlink') continue;
    const expected = listed.get(e.path);
    if (!expected)
      throw failed(`${e.path} came in the archive but was not in the listing`, { path: e.path });
    if (expected !== e.sha256) throw mismatch(e.path, expected, e.sha256 ?? '');
    seen.add(e.path);
  }
  const absent = [...listed.keys()].filter((p) => !seen.has(p));
  if (absent.length)
    throw failed(`${absent.length} listed file(s) did not come in the archive, e.g. ${absent[0]}`, {
      missing: absent.slice(0, 20),
    });
}
