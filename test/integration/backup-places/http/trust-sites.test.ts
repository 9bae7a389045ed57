import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBackup } from '../../../../src/main/core/backup/export';
import { backupRoot, openBackupStore } from '../../../../src/main/core/backup/store';
import { storeBackup } from '../store-backups';
import { serve, type Served } from './harness';

let app: Served;
let otherPem: string;
let foreign: Buffer;
const work = mkdtempSync(join(tmpdir(), 'rigger-trust-sites-'));
const call = (op: string, input: unknown) => app.json('POST', `/api/call/${op}`, input);
const count = async () =>
  (await app.json('GET', '/cloud-integration/backup/storage')).body.summary.total_backups;

beforeAll(async () => {
  app = await serve();
  const other = join(work, 'site-b');
  await storeBackup(other, 'y1', { gateway: 'crane-9' });
  const repo = openBackupStore(other, { allowLocked: true, env: {} });
  await pipeline(exportBackup(repo, 'y1').stream, createWriteStream(join(work, 'y1.tar')));
  foreign = readFileSync(join(work, 'y1.tar'));
  otherPem = readFileSync(join(backupRoot(other), 'site-signing.pub'), 'utf8');
});
afterAll(async () => {
  await app?.close();
});

describe("trusting another site's backup signing key", () => {
  it('imports nothing from an untrusted site; after its key is confirmed and trusted, imports it', async () => {
    const refused = await app.form('/cloud-integration/backup/import', foreign, 'y1.tar');
    expect(refused.body).toMatchObject({
      status: 'rejected',
      imported: false,
      validation_results: { signature: 'untrusted' },
    });
    expect(await count()).toBe(0);

    // First the fingerprint to compare; nothing is trusted yet.
    const asked = await call('backupPlaces.trustSite', { pem: otherPem, name: 'quay-2' });
    expect(asked.body).toMatchObject({ status: 'confirm', name: 'quay-2' });
    const fp = asked.body.fingerprint as string;
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await call('backupPlaces.trustedSites', {})).body.sites).toEqual([]);
    const wrong = await call('backupPlaces.trustSite', {
      pem: otherPem,
      confirm_fingerprint: `sha256:${'0'.repeat(64)}`,
    });
    expect(wrong.body.status).toBe('confirm');
    expect(
      (await app.form('/cloud-integration/backup/import', foreign, 'y1.tar')).body.imported,
    ).toBe(false);

    const ok = await call('backupPlaces.trustSite', {
      pem: otherPem,
      name: 'quay-2',
      confirm_fingerprint: fp,
    });
    expect(ok.body).toMatchObject({ status: 'trusted', name: 'quay-2', fingerprint: fp });
    const sites = (await call('backupPlaces.trustedSites', {})).body.sites;
    expect(sites).toMatchObject([{ name: 'quay-2', fingerprint: fp }]);

    const imported = await app.form('/cloud-integration/backup/import', foreign, 'y1.tar');
    expect(imported.body).toMatchObject({
      imported: true,
      validation_results: { signature: 'verified' },
    });
    expect(await count()).toBe(1);

    // Revoked: the imported backup stays, the next import from that site is refused again.
    await openBackupStore(app.dataDir, { allowLocked: true, env: {} }).delete('y1');
    expect((await call('backupPlaces.revokeSite', { fingerprint: fp })).body).toMatchObject({
      revoked: true,
      name: 'quay-2',
    });
    const again = await app.form('/cloud-integration/backup/import', foreign, 'y1.tar');
    expect(again.body.validation_results.signature).toBe('untrusted');
    expect(again.body.imported).toBe(false);
  });

  it('refuses what is not a site key, its own key, a file path from afar, and an unknown revoke', async () => {
    const junk = await call('backupPlaces.trustSite', { pem: 'not a key' });
    expect(junk.status).toBe(400);
    const own = (await call('backupPlaces.siteKey', {})).body;
    expect(own.fingerprint).toMatch(/^sha256:/);
    const mine = await call('backupPlaces.trustSite', { pem: own.pem });
    expect(mine.body.message).toMatch(/own key/);
    const path = await call('backupPlaces.trustSite', { file: '/etc/hostname' });
    expect(path.status).toBe(400);
    const gone = await call('backupPlaces.revokeSite', { fingerprint: 'sha256:00' });
    expect(gone.body.code).toBe('NOT_FOUND');
  });
});
