import { existsSync, rmSync } from 'node:fs';
import { RiggerError } from '../../../shared/errors';
import { encryptBuffer } from './chunk-stream';
import { storageError, writeFileAtomic } from './files';
import { contentOf, manifestBytes, manifestSchema, type BackupManifest } from './manifest';
import type { ObjectStore, PutResult } from './object-store';
import type { BackupRepository } from './repository';
import { signWith } from './site-key';

/**
 * One backup being written: objects are added (or found already there) and pinned; `commit`
 * writes the signed manifest, `abort` removes what only this backup had added.
 */
export class BackupWriter {
  private readonly pinned = new Set<string>();
  private readonly added = new Set<string>();
  private open = true;
  /** Bytes this backup added to the store (new objects only). */
  addedBytes = 0;
  private readonly release: () => void;

  constructor(
    private readonly repo: BackupRepository,
    readonly id: string,
    readonly objects: ObjectStore,
  ) {
    repo.writers(1);
    this.release = repo.locks.take();
  }

  private hold(name: string) {
    if (this.pinned.has(name)) return;
    this.pinned.add(name);
    this.repo.pin(name, 1);
  }

  /** Is this content stored already? If so it is pinned for this backup (no need to send it). */
  known(sha256: string): boolean {
    if (!this.objects.has(sha256)) return false;
    this.hold(this.objects.name(sha256));
    return true;
  }

  /** Store content (checked against `expect`) for this backup. */
  async put(
    source: Parameters<ObjectStore['put']>[0],
    expect?: Parameters<ObjectStore['put']>[1],
  ): Promise<PutResult> {
    if (!this.open) throw new RiggerError('INTERNAL', `Backup ${this.id} is closed`);
    // Pinned before it can appear on disk, so a sweep running meanwhile never takes it.
    const r = await this.objects.put(source, expect, (n) => this.hold(n));
    this.hold(r.name);
    if (r.added) {
      this.added.add(r.name);
      this.addedBytes += r.stored_bytes;
    }
    return r;
  }

  /** Write the manifest, signed, and make the backup exist. */
  async commit(manifest: BackupManifest): Promise<void> {
    if (!this.open) throw new RiggerError('INTERNAL', `Backup ${this.id} is closed`);
    // Checked as a reader will check it, so nothing is committed that cannot be read back.
    const parsed = manifestSchema.safeParse(manifest);
    if (!parsed.success)
      throw new RiggerError(
        'BACKUP_FAILED',
        `Backup ${this.id} cannot be recorded: ${parsed.error.issues[0]?.message}`,
        {
          issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`),
        },
      );
    const bytes = manifestBytes(manifest);
    const names = [...contentOf(manifest)].map((s) => this.objects.name(s));
    for (const n of names) {
      // Held from here to the manifest, so no sweep can take what it is about to name.
      this.hold(n);
      if (!existsSync(this.objects.pathOf(n)))
        throw new RiggerError('BACKUP_FAILED', `Object ${n} of backup ${this.id} is missing`);
    }
    const repo = this.repo;
    try {
      await this.objects.flush(this.added);
      writeFileAtomic(repo.file(this.id, 'refs'), names.sort().join('\n') + '\n');
      writeFileAtomic(repo.file(this.id, 'sig'), signWith(repo.site, bytes).toString('base64'));
      const sealed = this.objects.encrypted ? encryptBuffer(repo.key!, bytes) : bytes;
      writeFileAtomic(repo.file(this.id, 'manifest'), sealed);
    } catch (err) {
      throw storageError(err, repo.manifestDir);
    }
    this.close();
  }

  /** Give up: the objects only this backup added are removed; the partial data is cleaned. */
  abort(): { removed_bytes: number } {
    if (!this.open) return { removed_bytes: 0 };
    this.close();
    const live = this.repo.liveNames();
    let removed = 0;
    for (const n of this.added) if (!live.has(n)) removed += this.objects.remove(n);
    for (const ext of ['refs', 'sig'] as const)
      rmSync(this.repo.file(this.id, ext), { force: true });
    return { removed_bytes: removed };
  }

  private close() {
    this.open = false;
    for (const n of this.pinned) this.repo.pin(n, -1);
    this.repo.writers(-1);
    this.release();
  }
}
