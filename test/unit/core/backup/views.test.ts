import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { exportBackup } from '../../../../src/main/core/backup/export';
import { afterEach, describe, expect, it } from 'vitest';
import { generateBackupKey } from '../../../../src/main/core/backup/keys';
import type { BackupManifest } from '../../../../src/main/core/backup/manifest';
import { BackupRepository } from '../../../../src/main/core/backup/repository';
import { storeBackup } from '../../../helpers/backup-fixture';
import { loadSiteKey } from '../../../../src/main/core/backup/site-key';
import { verifyBackup } from '../../../../src/main/core/backup/verify';
import {
  backupDetails,
  backupStatusView,
  listBackups,
  sizeText,
} from '../../../../src/main/core/backup/views';
import {
  backupDetailsSchema,
  backupListQuerySchema,
  backupListSchema,
  backupStatusSchema,
} from '../../../../src/shared/backup';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const store = (repo: BackupRepository, id: string, type: BackupManifest['type'], day: string) =>
  storeBackup(repo, { id, type, created_at: `${day}T02:00:00.000Z` });

describe('backups in the seed shapes', () => {
  it('lists newest first with the seed filters, and details match the seed schema', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rigger-views-'));
    dirs.push(root);
    const repo = new BackupRepository(root, generateBackupKey(), loadSiteKey(root));
    await store(repo, 'b1', 'full', '2025-06-10');
    await store(repo, 'b2', 'config', '2025-06-12');
    await store(repo, 'b3', 'pre-ota', '2025-06-14');
    await verifyBackup(repo, 'b2');

    const all = backupListSchema.parse(await listBackups(repo, backupListQuerySchema.parse({})));
    expect(all.backups.map((b) => b.id)).toEqual(['b3', 'b2', 'b1']);
    expect(all.total).toBe(3);
    expect(all.backups[1]).toMatchObject({
      type: 'Configuration',
      size: 5000,
      size_display: '5 KB',
      encrypted: true,
      integrity: 'verified',
      description: 'Configuration • Encrypted • Local',
      components: ['system', 'config'],
    });
    expect(all.backups[0]!.integrity).toBe('unverified');
    const q = backupListQuerySchema.parse({ date_from: '2025-06-11', date_to: '2025-06-13' });
    expect((await listBackups(repo, q)).backups.map((b) => b.id)).toEqual(['b2']);
    const full = backupListQuerySchema.parse({ type: 'full', limit: '1' });
    expect((await listBackups(repo, full)).backups.map((b) => b.id)).toEqual(['b1']);

    const d = backupDetailsSchema.parse(backupDetails(repo, 'b2'));
    expect(d.integrity).toMatchObject({ verified: true, signature_valid: true });
    expect(d.encryption).toEqual({ enabled: true, algorithm: 'AES-256', key_id: repo.key!.id });
    // The library image is recorded, not stored: the backup costs only its data.
    expect(d.components.system).toEqual({ included: true, size: '0 B' });
    expect(d.components.database).toEqual({ included: false, size: '0 B' });
    expect(d.metadata).toEqual({
      created_by: 'cli',
      gateway_id: 'GW-001',
      version: 'v3.2.1',
      description: 'before maintenance',
    });
    expect(d.storage_locations[0]!.path).toBe(join(root, 'manifests', 'b2.manifest'));
    expect(() => backupDetails(repo, 'nope')).toThrow(
      expect.objectContaining({ code: 'BACKUP_NOT_FOUND' }),
    );
  });

  it('exports one backup as a file that unpacks into a store verify and restore can read', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rigger-export-'));
    dirs.push(root);
    const repo = new BackupRepository(root, generateBackupKey(), loadSiteKey(root));
    await store(repo, 'keep', 'full', '2025-06-10');
    await store(repo, 'other', 'full', '2025-06-11');
    const { filename, stream } = exportBackup(repo, 'keep');
    expect(filename).toBe('keep.rigger-backup.tar');
    const file = join(root, filename);
    await pipeline(stream, createWriteStream(file));
    const out = mkdtempSync(join(tmpdir(), 'rigger-import-'));
    dirs.push(out);
    execFileSync('tar', ['xf', file, '-C', out]);
    const copy = new BackupRepository(out, repo.key, repo.site);
    expect(copy.ids()).toEqual(['keep']);
    expect(await verifyBackup(copy, 'keep')).toMatchObject({
      verified: true,
      signature_valid: true,
    });
    expect(readdirSync(join(out, 'objects')).length).toBe(1);
  });

  it('sums the store up for the overview cards (backup/status)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rigger-status-'));
    dirs.push(root);
    const repo = new BackupRepository(root, generateBackupKey(), loadSiteKey(root));
    const empty = backupStatusSchema.parse(await backupStatusView(repo));
    expect(empty).toMatchObject({
      total_backups: 0,
      last_successful_backup: null,
      backup_system: 'degraded',
    });
    await store(repo, 'b1', 'full', '2025-06-10');
    await store(repo, 'b2', 'full', '2025-06-12');
    await verifyBackup(repo, 'b1');
    const s = backupStatusSchema.parse(
      await backupStatusView(repo, new Date('2025-06-13T00:00:00Z')),
    );
    expect(s).toMatchObject({
      backup_system: 'healthy',
      // Both encrypted (40) and signed (30), one of two verified (15).
      security_score: 85,
      last_successful_backup: '2025-06-12T02:00:00.000Z',
      total_backups: 2,
      components: { encryption: { status: 'enabled', algorithm: 'AES-256' } },
    });
    expect(s.alerts).toEqual([{ level: 'info', message: '1 backup(s) not verified yet' }]);
  });

  it('writes sizes as the seed does', () => {
    expect(sizeText(220_000_000)).toBe('220 MB');
    expect(sizeText(1_400_000_000)).toBe('1.4 GB');
  });
});
