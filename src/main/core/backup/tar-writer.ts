import { createHash } from 'node:crypto';
import { Header, Pax, type HeaderData } from 'tar';
import { RiggerError } from '../../../shared/errors';
import type { ManifestEntry } from './manifest';
import type { ObjectStore } from './object-store';

const BLOCK = 512;
const TYPES = {
  file: 'File',
  dir: 'Directory',
  symlink: 'SymbolicLink',
  hardlink: 'Link',
} as const;

/** One header (with a pax header first when a name is too long for ustar). */
function headerBlocks(data: HeaderData): Buffer {
  const h = new Header(data);
  const block = Buffer.alloc(BLOCK);
  h.encode(block, 0);
  if (!h.needPax) return block;
  return Buffer.concat([new Pax(data).encode(), block]);
}

/**
 * A tar stream of backup entries, named relative to `base` (the folder they are extracted in):
 * headers from the manifest (mode, owner, time, link target), content from the store, each
 * file's bytes proven against its SHA-256 as they leave. `other` entries (devices, fifos) are
 * skipped: the contract's tools cannot make them.
 */
export async function* tarOf(
  entries: ManifestEntry[],
  base: string,
  objects: ObjectStore,
  onBytes?: (n: number) => void,
): AsyncIterable<Buffer> {
  for (const e of entries) {
    if (e.type === 'other') continue;
    const rel = e.path === base ? '.' : e.path.slice(base.length + 1);
    const common: HeaderData = {
      path: e.type === 'dir' ? `${rel}/` : rel,
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      mtime: new Date(e.mtime * 1000),
      type: TYPES[e.type],
      size: e.type === 'file' ? e.size : 0,
    };
    if (e.type === 'symlink') common.linkpath = e.link ?? '';
    if (e.type === 'hardlink') common.linkpath = e.link!.slice(base.length + 1);
    yield headerBlocks(common);
    if (e.type !== 'file' || !e.sha256) continue;
    const h = createHash('sha256');
    let size = 0;
    for await (const c of objects.read(objects.name(e.sha256)) as AsyncIterable<Buffer>) {
      h.update(c);
      size += c.length;
      onBytes?.(c.length);
      yield c;
    }
    if (size !== e.size || h.digest('hex') !== e.sha256)
      throw new RiggerError('RESTORE_FAILED', `The stored content of ${e.path} is damaged`, {
        path: e.path,
      });
    if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
  }
  yield Buffer.alloc(2 * BLOCK);
}
