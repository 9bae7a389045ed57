import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  automaticToPrune,
  pruneAutomatic,
} from '../../../../src/main/core/backup/automatic-retention';
import { generateBackupKey } from '../../../../src/main/core/backup/keys';
import { BackupRepository } from '../../../../src/main/core/backup/repository';
import { loadSiteKey } from '../../../../src/main/core/backup/site-key';
import { storeBackup } from '../../../helpers/backup-fixture';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(): BackupRepository {
  const root = mkdtempSync(join(tmpdir(), 'rigger-retention-'));
  dirs.push(root);
  return new BackupRepository(root, generateBackupKey(), loadSiteKey(root));
}

const NOW = Date.parse('2026-06-30T12:00:00Z');
const day = (d: number) => `2026-06-${String(d).padStart(2, '0')}T02:00:00.000Z`;

describe("the recovery settings bound Rigger's own backups", () => {
  it('keeps the newest max_snapshots of a gateway and none older than the retention days', async () => {
    const r = repo();
    for (const d of [1, 20, 25, 27, 29])
      await storeBackup(r, {
        id: `auto-${d}`,
        type: 'pre-ota',
        created_at: day(d),
        created_by: 'rigger',
      });
    await storeBackup(r, { id: 'mine', type: 'full', created_at: day(2), created_by: 'local' });
    await storeBackup(r, {
      id: 'other-gw',
      type: 'pre-ota',
      created_at: day(1),
      created_by: 'rigger',
      gateway: 'crane-9',
    });
    const settings = { max_snapshots: 3, snapshot_retention_days: 20 };
    expect(automaticToPrune(r, 'gw', 'auto-29', settings, NOW).sort()).toEqual([
      'auto-1',
      'auto-20',
    ]);
    // The backup just taken stays whatever the settings say.
    expect(
      automaticToPrune(r, 'gw', 'auto-1', { ...settings, max_snapshots: 1 }, NOW),
    ).not.toContain('auto-1');
  });

  it('removes what it chose and frees its objects, leaving every other backup readable', async () => {
    const r = repo();
    const recent = new Date(Date.now() - 3600_000).toISOString();
    for (const id of ['a', 'b', 'c'])
      await storeBackup(r, { id, type: 'pre-ota', created_at: recent, created_by: 'rigger' });
    await storeBackup(r, { id: 'mine', type: 'full', created_at: recent, created_by: 'local' });
    const out = await pruneAutomatic(r, 'gw', 'c', {
      max_snapshots: 1,
      snapshot_retention_days: 30,
    });
    expect(out.removed.sort()).toEqual(['a', 'b']);
    expect(out.freed_bytes).toBeGreaterThan(10_000);
    expect(r.ids().sort()).toEqual(['c', 'mine']);
    expect(r.load('mine').signature_valid).toBe(true);
  });
});
