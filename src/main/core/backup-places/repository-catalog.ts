import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BackupFileRef, BackupRecord } from '../../../shared/backup-places';
import { writeFileAtomic } from '../backup/files';
import { ID_RE, type BackupRepository } from '../backup/repository';
import { backupSize, manifestChecksum } from '../backup/views';
import { sha256File } from '../util/hash';
import type { BackupCatalog, RemoteOnlyBackup } from './catalog';
import { pullBackup, pullIds } from './pull-backups';
import { remoteOnlyBackups } from './remote-backups';
import type { StorageLocation } from './storage/location';
import type { SyncItemResult, SyncOptions } from './storage/sync';

/** Most location ids noted per backup: a file that grew beyond that was not written by Rigger. */
const MAX_LOCATIONS = 64;

/**
 * The backup store seen through the small interface of backup places: each committed backup
 * as a record whose files are its stored bytes (manifest, signature, refs and objects, as
 * they lie under the store's root, so still encrypted) with their SHA-256. Which locations hold
 * a copy is kept in a JSON file beside the store, since the store's own files are signed.
 */
export class RepositoryCatalog implements BackupCatalog {
  /** Hashes of stored files by path, size and mtime: objects never change once written. */
  private readonly hashes = new Map<string, string>();

  constructor(
    /** The store, opened on first use by its owner (the backup service). */
    private readonly store: () => BackupRepository,
    /** The id of the location that is the store's own folder (the default local one). */
    private readonly home: string,
    private readonly locationsFile: string,
    private readonly site?: string,
  ) {}

  private get repo(): BackupRepository {
    return this.store();
  }

  private readLocations(): Record<string, string[]> {
    try {
      const raw = JSON.parse(readFileSync(this.locationsFile, 'utf8')) as unknown;
      return raw && typeof raw === 'object' ? (raw as Record<string, string[]>) : {};
    } catch {
      return {};
    }
  }

  private async fileRef(abs: string): Promise<BackupFileRef> {
    const st = statSync(abs);
    const key = `${abs}|${st.size}|${st.mtimeMs}`;
    let sha = this.hashes.get(key);
    if (!sha) this.hashes.set(key, (sha = await sha256File(abs)));
    return {
      path: relative(this.repo.root, abs).split('\\').join('/'),
      sha256: sha,
      size: st.size,
    };
  }

  /** Object names a backup references, from its `.refs` (readable without its key). */
  private refsOf(id: string): string[] {
    try {
      return readFileSync(this.repo.file(id, 'refs'), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }

  /** One committed backup as a record; null when it is not here or not readable here. */
  private async recordOf(
    id: string,
    where: Record<string, string[]>,
  ): Promise<BackupRecord | null> {
    let loaded;
    try {
      loaded = this.repo.load(id);
    } catch {
      // Encrypted with a key not unlocked here, or damaged: not this area's to judge.
      return null;
    }
    const m = loaded.manifest;
    const refs = this.refsOf(id);
    const files: BackupFileRef[] = [];
    for (const ext of ['manifest', 'sig', 'refs'] as const) {
      const f = this.repo.file(id, ext);
      if (existsSync(f)) files.push(await this.fileRef(f));
    }
    for (const name of refs) {
      const f = this.repo.plain.pathOf(name);
      if (existsSync(f)) files.push(await this.fileRef(f));
    }
    const v = this.repo.lastVerification(id);
    return {
      id,
      gateway: m.gateway.name,
      ...(this.site ? { site: this.site } : {}),
      type: m.type,
      created_at: m.created_at,
      size: backupSize(m),
      files,
      verified: v?.verified === true,
      protected: m.tags?.includes('protected') ?? false,
      checksum: `sha256:${manifestChecksum(m)}`,
      status: 'completed',
      blobs: refs,
      locations: [...new Set([this.home, ...(where[id] ?? [])])],
    };
  }

  async list(): Promise<BackupRecord[]> {
    const where = this.readLocations();
    const out: BackupRecord[] = [];
    for (const id of this.repo.ids()) {
      const r = await this.recordOf(id, where);
      if (r) out.push(r);
    }
    return out;
  }

  /** One backup's record, read alone (not the whole catalog); null when there is none. */
  async record(id: string): Promise<BackupRecord | null> {
    return ID_RE.test(id) && this.repo.has(id) ? this.recordOf(id, this.readLocations()) : null;
  }

  async remove(id: string): Promise<void> {
    await this.repo.delete(id);
    const where = this.readLocations();
    if (where[id]) {
      delete where[id];
      writeFileAtomic(this.locationsFile, JSON.stringify(where));
    }
  }

  async blobSizes(): Promise<Map<string, number>> {
    const sizes = new Map<string, number>();
    for (const name of await this.repo.plain.names())
      if (!name.startsWith('.partial-')) sizes.set(name, this.repo.plain.storedSize(name));
    return sizes;
  }

  async addLocation(id: string, location: string): Promise<void> {
    const where = this.readLocations();
    const now = new Set([...(where[id] ?? []), location]);
    where[id] = [...now].slice(0, MAX_LOCATIONS);
    writeFileAtomic(this.locationsFile, JSON.stringify(where));
  }

  remoteIds(source: StorageLocation, asked: string[]): Promise<string[]> {
    return pullIds(source, asked);
  }

  async pull(source: StorageLocation, ids: string[], opts: SyncOptions): Promise<SyncItemResult[]> {
    const out: SyncItemResult[] = [];
    for (const id of ids) {
      opts.signal?.throwIfAborted();
      const r = await pullBackup(this.repo, source, id, opts);
      if (r.status !== 'failed') await this.addLocation(id, source.id);
      out.push(r);
    }
    return out;
  }

  remoteOnly(source: StorageLocation): Promise<RemoteOnlyBackup[]> {
    return remoteOnlyBackups(this.repo, source);
  }
}

/** Where the catalog keeps which locations hold copies: beside the store, not inside it. */
export const locationsFileOf = (dataDir: string) => join(dataDir, 'backup-places', 'copies.json');
