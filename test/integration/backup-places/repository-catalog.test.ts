import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBackupStore } from '../../../src/main/core/backup/store';
import {
  RepositoryCatalog,
  locationsFileOf,
} from '../../../src/main/core/backup-places/repository-catalog';
import { storeBackup } from './store-backups';

describe('the backup store as backup places see it', () => {
  it('lists real backups with their stored files, shares blobs, notes copies, removes one', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-catalog-'));
    const shared = randomBytes(32 * 1024);
    await storeBackup(data, 'b1', {
      gateway: 'crane-7',
      created_at: '2026-01-01T02:00:00Z',
      files: { '/data/a': shared, '/data/b': randomBytes(1000) },
    });
    await storeBackup(data, 'b2', { files: { '/data/a': shared } });
    const repo = openBackupStore(data, { allowLocked: true, env: {} });
    const catalog = new RepositoryCatalog(() => repo, 'local', locationsFileOf(data));

    const [b1, b2] = await catalog.list();
    expect(b1).toMatchObject({ id: 'b1', gateway: 'crane-7', type: 'full', size: 33_768 });
    expect(b1!.blobs).toHaveLength(2);
    expect(b2!.blobs).toHaveLength(1);
    expect(b1!.blobs).toContain(b2!.blobs![0]);
    for (const f of b1!.files) {
      const bytes = readFileSync(join(repo.root, f.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
      expect(bytes.length).toBe(f.size);
    }
    expect(b1!.files.map((f) => f.path)).toContain('manifests/b1.manifest');
    expect((await catalog.blobSizes()).size).toBe(2);

    await catalog.addLocation('b1', 'aws');
    expect((await catalog.list())[0]!.locations).toEqual(['local', 'aws']);
    // One record read alone is the one the whole listing gives.
    expect(await catalog.record('b1')).toEqual((await catalog.list())[0]);
    expect(await catalog.record('no-such-backup')).toBeNull();
    expect(await catalog.record('../b1')).toBeNull();

    await catalog.remove('b1');
    const left = await catalog.list();
    expect(left.map((r) => r.id)).toEqual(['b2']);
    // The blob b2 still uses stays; the one only b1 had is gone.
    expect((await catalog.blobSizes()).size).toBe(1);
    expect(existsSync(join(repo.root, b2!.files.at(-1)!.path))).toBe(true);
  });
});
