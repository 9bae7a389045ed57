import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { nodeFirmwareSchema, type NodeFirmware } from '../../../shared/nodes';
import { createBlobStore, type BlobStore } from '../images/blob-store';
import { compareVersions } from '../images/versions';

/**
 * Node firmware in Rigger's offline library: the bytes content-addressed in a blob store, the
 * facts in one JSON index written atomically (a firmware is small and few are kept).
 */
export interface FirmwareLibrary {
  readonly store: BlobStore;
  list(): NodeFirmware[];
  find(id: string): NodeFirmware | null;
  /** The path of a firmware's bytes. */
  path(fw: NodeFirmware): string;
  /** The newest firmware for a node type, if any. */
  newestFor(nodeType: string): NodeFirmware | null;
  /** Index a firmware whose blob is committed; the same id with other bytes is refused. */
  insert(fw: NodeFirmware): NodeFirmware;
  remove(id: string): void;
}

/** A firmware library in `dir` (created if missing). */
export function createFirmwareLibrary(dir: string): FirmwareLibrary {
  mkdirSync(dir, { recursive: true });
  const store = createBlobStore(join(dir, 'blobs'));
  const indexFile = join(dir, 'index.json');
  const read = (): NodeFirmware[] =>
    existsSync(indexFile)
      ? nodeFirmwareSchema.array().parse(JSON.parse(readFileSync(indexFile, 'utf8')))
      : [];
  const write = (all: NodeFirmware[]) => {
    writeFileSync(`${indexFile}.tmp`, JSON.stringify(all, null, 2));
    renameSync(`${indexFile}.tmp`, indexFile);
  };
  return {
    store,
    list: read,
    find: (id) => read().find((f) => f.id === id) ?? null,
    path: (fw) => store.path(fw.sha256),
    newestFor(type) {
      const fits = read().filter((f) => f.node_types.includes(type));
      fits.sort((a, b) => compareVersions(b.version, a.version));
      return fits[0] ?? null;
    },
    insert(fw) {
      const all = read();
      const existing = all.find((f) => f.id === fw.id);
      if (existing) {
        if (existing.sha256 === fw.sha256) return existing;
        throw new RiggerError(
          'ALREADY_EXISTS',
          `The library already holds other node firmware with id "${fw.id}"`,
          { id: fw.id, existing_sha256: existing.sha256, new_sha256: fw.sha256 },
          ['Delete the old one first if the new one should replace it'],
        );
      }
      write([...all, fw]);
      return fw;
    },
    remove(id) {
      const all = read();
      const fw = all.find((f) => f.id === id);
      if (!fw) throw new RiggerError('NOT_FOUND', `No node firmware with id "${id}"`, { id });
      write(all.filter((f) => f.id !== id));
      if (!all.some((f) => f.id !== id && f.sha256 === fw.sha256)) store.remove(fw.sha256);
    },
  };
}
