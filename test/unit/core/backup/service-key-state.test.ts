import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupListQuerySchema } from '../../../../src/shared/backup';
import { composeServices, type CoreServices } from '../../../../src/main/core/compose/services';
import { PASSPHRASE_ENV } from '../../../../src/main/core/backup/keys';
import { findResourcesDir } from '../../../../src/main/core/paths';
import { createSnapshotStore } from '../../../../src/main/core/recovery/snapshot-store';
import { openDatabase } from '../../../../src/main/core/store/database';

/** A snapshot row of an earlier Rigger whose archive is gone (its migration is then refused). */
function legacyRow(dataDir: string): string {
  const db = openDatabase(dataDir);
  try {
    const id = 'snap-lost';
    createSnapshotStore(db, join(dataDir, 'snapshots')).insert({
      id,
      gateway: 'gw',
      model: null,
      name: 'lost',
      description: '',
      type: 'manual',
      created_at: '2025-01-01T00:00:00Z',
      version: null,
      slot: null,
      includes: ['/data'],
      file: `${id}.tar.gz`,
      size: 10,
      sha256: '0'.repeat(64),
      files: {},
      job_id: null,
      slot_image: null,
    });
    return id;
  } finally {
    db.close();
  }
}

let open: CoreServices | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await open?.backupPlaces.close();
  open?.db.close();
  open = null;
  delete process.env[PASSPHRASE_ENV];
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

describe('snapshots of an earlier Rigger waiting for a locked key', () => {
  it('open the store once, and are tried again when what unlocks the key changes', async () => {
    delete process.env[PASSPHRASE_ENV];
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-key-state-'));
    dirs.push(dataDir);
    const id = legacyRow(dataDir);
    const s = (open = composeServices({
      dataDir,
      resourcesDir: findResourcesDir(),
      runSchedules: false,
    }));
    const alerts = async () => (await s.backup.status({})).alerts.map((a) => a.message).join('\n');

    expect(await alerts()).toMatch(/1 snapshot\(s\) of an earlier Rigger wait for the backup key/);
    const locked = s.backup.store();
    expect(locked.key).toBeNull();
    await s.backup.list(backupListQuerySchema.parse({}));
    await alerts();
    // Nothing that unlocks the key changed: the store was not opened again.
    expect(s.backup.store()).toBe(locked);

    process.env[PASSPHRASE_ENV] = 'the passphrase came later';
    // Tried again: the snapshot's archive is gone, so it is kept and the status says why.
    expect(await alerts()).toMatch(new RegExp(`Snapshot ${id} was kept as it is, not migrated`));
    expect(s.backup.store()).not.toBe(locked);
    expect(s.backup.store().key).not.toBeNull();
  });
});
