import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBackup } from '../../../../src/main/core/backup/export';
import { openBackupStore } from '../../../../src/main/core/backup/store';
import { storeBackup } from '../store-backups';
import { serve, until, type Served } from './harness';

const MiB = 1024 * 1024;
let app: Served;
const work = mkdtempSync(join(tmpdir(), 'rigger-import-bounds-'));

/** A backup of `bytes` random bytes made in the app's store, exported, then removed from it. */
async function exportedAway(id: string, bytes: number): Promise<Buffer> {
  await storeBackup(app.dataDir, id, { files: { [`/data/${id}`]: randomBytes(bytes) } });
  const repo = openBackupStore(app.dataDir, { allowLocked: true, env: {} });
  const file = join(work, `${id}.tar`);
  await pipeline(exportBackup(repo, id).stream, createWriteStream(file));
  await repo.delete(id);
  return readFileSync(file);
}

const leftovers = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

beforeAll(async () => {
  app = await serve(undefined, { backupImportLimitBytes: 4 * MiB });
  // The image library may take 1 MiB: a backup import is not bound by it.
  await app.core.call('settings.update', { rigger: { image_quota_bytes: MiB } });
});
afterAll(async () => {
  await app?.close();
});

describe('backup imports over HTTP have their own upload folder and bound', () => {
  it('takes a file larger than the image quota, reporting bytes, speed and ETA as it arrives', async () => {
    const file = await exportedAway('big', 3 * MiB);
    const updates = await app.listen('/ws/backup/updates');
    const r = await app.form('/cloud-integration/backup/import', file, 'big.rigger-backup.tar');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'import_started', imported: true });
    await until('the import to say it completed', () =>
      updates.messages.some((m) => m.type === 'import_progress' && m.progress === 100),
    );
    updates.close();
    const mine = updates.messages.filter((m) => m.import_id === r.body.import_id);
    const arriving = mine.filter((m) => m.current_step === 'receiving_file');
    expect(arriving.length).toBeGreaterThan(0);
    const lastArrived = arriving[arriving.length - 1];
    expect(lastArrived.bytes_received).toBe(file.length);
    expect(lastArrived.speed).toMatch(/\/s$/);
    expect(lastArrived.eta).toMatch(/^\d{2}:\d{2}:\d{2}$/);
    expect(mine.map((m) => m.current_step)).toEqual(
      expect.arrayContaining(['validating_data', 'importing_data', 'completed']),
    );
    const progress = mine.map((m) => m.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(openBackupStore(app.dataDir, { allowLocked: true, env: {} }).has('big')).toBe(true);
    expect(leftovers(join(app.dataDir, 'backup-places', 'uploads'))).toEqual([]);
    expect(leftovers(join(app.dataDir, 'uploads'))).toEqual([]);
  });

  it('refuses a file past the backup bound with a clear error, leaving nothing behind', async () => {
    const file = await exportedAway('huge', 5 * MiB);
    const r = await app.form('/cloud-integration/backup/import', file, 'huge.rigger-backup.tar');
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_ERROR');
    expect(r.body.message).toMatch(
      /larger than an import may be here \(4 MB\); nothing was imported/,
    );
    expect(r.body.details.limit_bytes).toBe(4 * MiB);
    expect(openBackupStore(app.dataDir, { allowLocked: true, env: {} }).has('huge')).toBe(false);
    expect(leftovers(join(app.dataDir, 'backup-places', 'uploads'))).toEqual([]);
    expect(leftovers(join(app.dataDir, 'uploads'))).toEqual([]);
  });
});
