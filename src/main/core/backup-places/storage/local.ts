import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../../shared/errors';
import { sha256File } from '../../util/hash';
import { formatBytes } from '../size-text';
import {
  checkObjectPath,
  healthOfUse,
  type HealthReport,
  type PutOptions,
  type PutResult,
  type StorageLocation,
  type StoredObject,
  progressCounter,
} from './location';

export interface LocalOptions {
  id: string;
  root: string;
  /** Bytes this location may hold; unset: the disk is the limit. */
  quota?: number;
  /** Percent of the quota at which health turns to warning. */
  cleanupThreshold?: number;
}

async function walk(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.partial'))
    .map((e) => join(e.parentPath, e.name));
}

/** Backups in a folder on this machine, within a quota, healthy while the disk has room. */
export class LocalLocation implements StorageLocation {
  readonly type = 'local' as const;
  readonly id: string;

  constructor(private readonly opts: LocalOptions) {
    this.id = opts.id;
  }

  /** Where a stored path lies on disk (for a sync that reads straight from here). */
  fileOf(path: string): string {
    return join(this.opts.root, ...checkObjectPath(path).split('/'));
  }

  async used(): Promise<number> {
    let sum = 0;
    for (const f of await walk(this.opts.root)) sum += (await stat(f)).size;
    return sum;
  }

  async put(localFile: string, path: string, opts: PutOptions = {}): Promise<PutResult> {
    const dest = this.fileOf(path);
    const total = (await stat(localFile)).size;
    const partial = `${dest}.partial`;
    const have = await stat(partial).then(
      (s) => (s.size <= total ? s.size : 0),
      () => 0,
    );
    if (this.opts.quota !== undefined) {
      const used = await this.used();
      if (used + total - have > this.opts.quota) {
        throw new RiggerError(
          'OTA_003',
          `Location ${this.id} has no room for ${formatBytes(total)}`,
          {
            storage: this.id,
            needed: total,
            used,
            quota: this.opts.quota,
          },
          ['Run a cleanup', 'Raise the quota of this location'],
        );
      }
    }
    await mkdir(dirname(dest), { recursive: true });
    await pipeline(
      createReadStream(localFile, { start: have }),
      progressCounter(have, total, opts.onProgress),
      createWriteStream(partial, { flags: have ? 'a' : 'w' }),
      { signal: opts.signal },
    );
    await rename(partial, dest);
    return { size: total, resumed_from: have };
  }

  async get(path: string, localFile: string): Promise<void> {
    await copyFile(this.fileOf(path), localFile);
  }

  async list(prefix = ''): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    for (const f of await walk(this.opts.root)) {
      const path = relative(this.opts.root, f).split(sep).join('/');
      if (path.startsWith(prefix)) out.push({ path, size: (await stat(f)).size });
    }
    return out.sort((a, b) => a.path.localeCompare(b.path));
  }

  async delete(path: string): Promise<void> {
    await rm(this.fileOf(path), { force: true });
  }

  async stat(path: string): Promise<StoredObject | null> {
    const s = await stat(this.fileOf(path)).catch(() => null);
    return s?.isFile() ? { path, size: s.size } : null;
  }

  hash(path: string): Promise<string> {
    return sha256File(this.fileOf(path));
  }

  async health(): Promise<HealthReport> {
    try {
      await mkdir(this.opts.root, { recursive: true });
      const fs = await statfs(this.opts.root);
      const diskFree = fs.bavail * fs.bsize;
      const used = await this.used();
      const total = this.opts.quota ?? used + diskFree;
      const available = Math.max(0, Math.min(total - used, diskFree));
      const utilization = total > 0 ? Math.round(((total - available) / total) * 100) : 100;
      const health = healthOfUse(utilization, this.opts.cleanupThreshold ?? 80);
      return { health, used, available, total, utilization };
    } catch (err) {
      return { health: 'error', detail: (err as Error).message };
    }
  }

  async close(): Promise<void> {}
}
