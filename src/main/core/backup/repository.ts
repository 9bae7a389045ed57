import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { MAGIC } from './chunk-format';
import { decryptBuffer } from './chunk-stream';
import { ensureDir, writeFileAtomic } from './files';
import type { BackupKey } from './keys';
import { StoreLocks } from './locks';
import { MAX_MANIFEST_BYTES, parseManifest, type BackupManifest } from './manifest';
import { ObjectStore } from './object-store';
import { verifiesWith, type SiteKey } from './site-key';
import { BackupWriter } from './writer';

/** Objects in use by backups still being written, per store root: a sweep never takes them. */
const PINS = new Map<string, Map<string, number>>();
/** Writers open per store root: while any is, leftover partial files may be theirs. */
const WRITERS = new Map<string, number>();

export interface LoadedBackup {
  manifest: BackupManifest;
  signature_valid: boolean;
  /** Bytes of the manifest file as stored. */
  manifest_bytes: number;
}

export interface Verification {
  verified: boolean;
  verification_time: string;
  signature_valid: boolean;
  files_checked: number;
  objects_checked: number;
  bytes_checked: number;
  errors: string[];
}

/** What a backup id may be (also the names of a location's manifests). */
export const ID_RE = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * The backups of one site on this laptop: content-addressed objects shared by all backups, and
 * per backup a manifest, its signature and the list of objects it references (`.refs`, object
 * names only, so a delete can find what no other backup uses without decrypting anything).
 */
export class BackupRepository {
  readonly root: string;
  /** Objects of encrypted backups (null when the site key is not unlocked). */
  readonly sealed: ObjectStore | null;
  readonly plain: ObjectStore;
  readonly locks: StoreLocks;

  constructor(
    root: string,
    readonly key: BackupKey | null,
    readonly site: SiteKey,
  ) {
    this.root = resolve(ensureDir(root));
    ensureDir(this.manifestDir);
    this.sealed = key ? new ObjectStore(this.root, key) : null;
    this.plain = new ObjectStore(this.root, null);
    this.locks = new StoreLocks(this.root);
  }

  get manifestDir(): string {
    return join(this.root, 'manifests');
  }

  /** Where backup `id`'s files are (`.manifest`, `.sig`, `.refs`, `.verified.json`). */
  file(id: string, ext: 'manifest' | 'sig' | 'refs' | 'verified.json'): string {
    if (!ID_RE.test(id)) throw new RiggerError('VALIDATION_ERROR', `Bad backup id ${id}`);
    return join(this.manifestDir, `${id}.${ext}`);
  }

  /** The object store for a backup, encrypted or not. */
  objects(encrypted: boolean): ObjectStore {
    if (!encrypted) return this.plain;
    if (!this.sealed)
      throw new RiggerError('SECRET_UNAVAILABLE', 'The backup key is not unlocked', {}, [
        'Set RIGGER_BACKUP_PASSPHRASE to the backup passphrase',
      ]);
    return this.sealed;
  }

  /** Ids of the committed backups, oldest first by id. */
  ids(): string[] {
    return readdirSync(this.manifestDir)
      .filter((f) => f.endsWith('.manifest'))
      .map((f) => f.slice(0, -'.manifest'.length))
      .filter((id) => ID_RE.test(id))
      .sort();
  }

  has(id: string): boolean {
    return existsSync(this.file(id, 'manifest'));
  }

  /** Start writing backup `id`: its objects are pinned until commit or abort. */
  begin(id: string, encrypted: boolean): BackupWriter {
    if (this.has(id)) throw new RiggerError('ALREADY_EXISTS', `Backup ${id} already exists`);
    return new BackupWriter(this, id, this.objects(encrypted));
  }

  /** Read a backup's manifest and check its signature. */
  load(id: string): LoadedBackup {
    const path = this.file(id, 'manifest');
    if (!existsSync(path))
      throw new RiggerError('BACKUP_NOT_FOUND', `No backup ${id}`, { backup_id: id });
    const size = statSync(path).size;
    if (size > MAX_MANIFEST_BYTES)
      throw new RiggerError('VALIDATION_ERROR', `The manifest of ${id} is too large`);
    let sig = Buffer.alloc(0);
    try {
      sig = readFileSync(this.file(id, 'sig'));
    } catch {
      // No signature file: not valid.
    }
    return { ...this.open(id, readFileSync(path), sig), manifest_bytes: size };
  }

  /**
   * A manifest's stored bytes (sealed or not) opened with this store's key, parsed, and its
   * `.sig` file's bytes checked with the site's key. `at` names the location they came from.
   */
  open(
    id: string,
    raw: Buffer,
    sig: Buffer,
    at?: string,
  ): { manifest: BackupManifest; signature_valid: boolean } {
    const bytes = raw.subarray(0, 8).equals(MAGIC)
      ? decryptBuffer((kid) => {
          if (!this.key || this.key.id !== kid)
            throw new RiggerError(
              'ENCRYPTION_ERROR',
              `Backup ${id}${at ? ` at ${at}` : ''} is encrypted with key ${kid}, which is not unlocked here`,
              { key_id: kid, ...(at ? { storage: at } : {}) },
              ['Set RIGGER_BACKUP_PASSPHRASE to the passphrase of that key'],
            );
          return this.key;
        }, raw)
      : raw;
    const manifest = parseManifest(bytes, id);
    const signature = Buffer.from(sig.toString('ascii').trim(), 'base64');
    return {
      manifest,
      signature_valid: manifest.id === id && verifiesWith(this.site, bytes, signature),
    };
  }

  /** The last verification of a backup, if any. */
  lastVerification(id: string): Verification | null {
    try {
      return JSON.parse(readFileSync(this.file(id, 'verified.json'), 'utf8')) as Verification;
    } catch {
      return null;
    }
  }

  recordVerification(id: string, v: Verification): void {
    writeFileAtomic(this.file(id, 'verified.json'), JSON.stringify(v));
  }

  /** Object names referenced by committed backups (their `.refs`), plus pinned ones. */
  liveNames(): Set<string> {
    const live = new Set<string>(PINS.get(this.root)?.keys() ?? []);
    for (const id of this.ids()) {
      let refs = '';
      try {
        refs = readFileSync(this.file(id, 'refs'), 'utf8');
      } catch {
        continue;
      }
      for (const n of refs.split('\n')) if (n) live.add(n);
    }
    return live;
  }

  /**
   * Delete a backup and every object no other backup uses. Returns the exact bytes freed on
   * disk: its own files plus the objects removed.
   */
  async delete(id: string): Promise<{ freed_bytes: number; objects_removed: number }> {
    if (!this.has(id))
      throw new RiggerError('BACKUP_NOT_FOUND', `No backup ${id}`, { backup_id: id });
    let freed = 0;
    // The manifest goes first: from then on the backup is not listed, whatever happens next.
    for (const ext of ['manifest', 'sig', 'verified.json', 'refs'] as const) {
      const f = this.file(id, ext);
      if (!existsSync(f)) continue;
      freed += statSync(f).size;
      rmSync(f, { force: true });
    }
    const swept = await this.sweep();
    return { freed_bytes: freed + swept.freed_bytes, objects_removed: swept.objects_removed };
  }

  /** Remove objects that no backup references (and leftover partial files when none is being written). */
  async sweep(): Promise<{ freed_bytes: number; objects_removed: number }> {
    const live = this.liveNames();
    const writing = (WRITERS.get(this.root) ?? 0) > 0;
    let freed = 0;
    let removed = 0;
    // Another process is writing a backup: which objects it relies on is unknown here, so
    // none is taken now; a later sweep frees them.
    const others = this.locks.othersWriting();
    for (const name of others ? [] : await this.plain.names()) {
      if (name.startsWith('.partial-')) {
        if (writing) continue;
      } else if (live.has(name) || (PINS.get(this.root)?.has(name) ?? false)) continue;
      const path = this.plain.listedPath(name);
      try {
        freed += statSync(path).size;
        rmSync(path, { force: true });
        removed++;
      } catch {
        // Gone already.
      }
    }
    // A commit cut short by a crash leaves a backup's side files without its manifest.
    if (!writing && !others) {
      for (const f of readdirSync(this.manifestDir)) {
        const m = /^(.+)\.(sig|refs|verified\.json)$/.exec(f);
        if (!m && !f.startsWith('.partial-')) continue;
        if (m && existsSync(join(this.manifestDir, `${m[1]}.manifest`))) continue;
        const path = join(this.manifestDir, f);
        freed += statSync(path).size;
        rmSync(path, { force: true });
      }
    }
    return { freed_bytes: freed, objects_removed: removed };
  }

  /** Bytes all backups take on disk. */
  async storedBytes(): Promise<number> {
    let n = 0;
    for (const name of await this.plain.names()) {
      try {
        n += statSync(this.plain.listedPath(name)).size;
      } catch {
        // Removed meanwhile (a partial file renamed or cleaned up).
      }
    }
    for (const f of readdirSync(this.manifestDir)) n += statSync(join(this.manifestDir, f)).size;
    return n;
  }

  /** @internal for BackupWriter */
  pin(name: string, by: number): void {
    let pins = PINS.get(this.root);
    if (!pins) PINS.set(this.root, (pins = new Map()));
    pins.set(name, (pins.get(name) ?? 0) + by);
    if (pins.get(name)! <= 0) pins.delete(name);
  }

  /** @internal for BackupWriter */
  writers(by: number): void {
    WRITERS.set(this.root, (WRITERS.get(this.root) ?? 0) + by);
  }
}
