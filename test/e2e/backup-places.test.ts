import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBackup } from '../../src/main/core/backup/export';
import { backupRoot, openBackupStore } from '../../src/main/core/backup/store';
import { createCore, type Core } from '../../src/main/core/core';
import { memorySecretStore } from '../../src/main/core/secrets';
import { startServer, type RunningServer } from '../../src/main/core/server/server';
import { storeBackup } from '../integration/backup-places/store-backups';
import { startS3, type S3Server } from '../helpers/s3';
import { launchChromium, RENDERER, RESULTS } from './browser';

/** The part of a canvas the pixel check reads (the test is compiled without the DOM types). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  };
}

const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe('browser mode, end to end: statistics, location health, trusted sites and toasts', () => {
  let s3: S3Server;
  let core: Core;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let otherPem: string;

  beforeAll(async () => {
    s3 = await startS3(['backups']);
    process.env.RIGGER_STORAGE_AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-e2e-places-'));
    for (const [i, id] of ['b1', 'b2', 'b3', 'b4'].entries())
      await storeBackup(dataDir, id, { gateway: 'crane-7', created_at: day(4 - i) });
    const other = mkdtempSync(join(tmpdir(), 'rigger-e2e-places-b-'));
    await storeBackup(other, 'y1');
    otherPem = readFileSync(join(backupRoot(other), 'site-signing.pub'), 'utf8');
    core = createCore({ dataDir, mode: 'browser', secrets: memorySecretStore() });
    await core.call('backupPlaces.storageUpdate', {
      storage_locations: {
        aws: {
          enabled: true,
          bucket: 'backups',
          region: 'us-east-1',
          endpoint: s3.endpoint,
          force_path_style: true,
          credentials_ref: 'aws',
        },
      },
    });
    server = await startServer({ core, staticDir: RENDERER });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(server.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await core?.close();
    await s3?.stop();
    delete process.env.RIGGER_STORAGE_AWS_ACCESS_KEY_ID;
    delete process.env.RIGGER_STORAGE_AWS_SECRET_ACCESS_KEY;
  });

  it('draws the statistics as charts with the same facts in a table, and each place as a badge', async () => {
    await page.getByTestId('nav-backup').click();
    const stats = page.getByTestId('backup-statistics');
    await stats.getByTestId('backup-timeline-chart').waitFor();
    await stats.getByTestId('backup-places-chart').waitFor();
    const table = stats.getByTestId('backup-stats-table');
    await table.getByText(/4 backup\(s\) in 30d: 4 successful, 0 failed/).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(4);
    await stats.getByTestId('location-local').getByText('good').waitFor();
    await stats.getByTestId('location-aws').getByText('connected').waitFor();
    await stats.getByTestId('location-sftp').getByText('disabled').waitFor();
    // The charts drew something: a canvas with pixels that are not all blank.
    const inked = await stats.getByTestId('backup-timeline-chart').evaluate((el) => {
      const c = el as unknown as CanvasLike;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
      return false;
    });
    expect(inked).toBe(true);
    await stats.getByTestId('backup-stats-period').selectOption('24h');
    await table.getByText(/0 backup\(s\) in 24h/).waitFor();
    await stats.getByTestId('backup-stats-period').selectOption('30d');
    await table.getByText(/4 backup\(s\) in 30d/).waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-backup-statistics.png'), fullPage: true });
  });

  it('shows a toast when a sync finishes, and the copies in the statistics', async () => {
    await core.call('backupPlaces.storageSync', {
      source: 'local',
      destination: 'aws',
      backup_ids: ['all'],
      verify_after_sync: true,
      wait: true,
    });
    await page
      .getByTestId('toast')
      .getByText(/Sync SYNC-[0-9a-f]+ finished/)
      .waitFor();
    await page
      .getByTestId('backup-statistics')
      .getByText(/At aws/)
      .waitFor();
    await page.screenshot({ path: join(RESULTS, 'e2e-backup-sync-toast.png') });
  });

  it("trusts another site's key after showing its fingerprint, and revokes it", async () => {
    const sites = page.getByTestId('trusted-sites');
    await sites.getByLabel('Site name').fill('quay-2');
    await sites.getByLabel(/site-signing\.pub/).fill(otherPem);
    await sites.getByTestId('trust-site-check').click();
    const dialog = page.getByTestId('trust-site-dialog');
    const fp = await dialog.getByTestId('trust-site-fingerprint').textContent();
    expect(fp).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await core.call('backupPlaces.trustedSites', {})).sites).toEqual([]);
    await page.screenshot({ path: join(RESULTS, 'e2e-backup-trust-site.png') });
    await dialog.getByTestId('trust-site-confirm').click();
    await sites.getByTestId('trusted-site').getByText(fp!).waitFor();
    expect((await core.call('backupPlaces.trustedSites', {})).sites[0]!.fingerprint).toBe(fp);
    await sites.getByRole('button', { name: 'Revoke quay-2' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await sites.getByText('No other site is trusted.').waitFor();
  });

  it('imports a backup file from the browser, its progress ending in a toast', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rigger-e2e-places-f-')), 'b1.rigger-backup.tar');
    const repo = openBackupStore(core.info.data_dir, { allowLocked: true, env: {} });
    await pipeline(exportBackup(repo, 'b1').stream, createWriteStream(file));
    await repo.delete('b1');
    const box = page.getByTestId('backup-import');
    await box.getByTestId('backup-import-file').setInputFiles(file);
    await box.getByTestId('backup-import-start').click();
    await box
      .getByTestId('backup-import-result')
      .getByText(/Imported b1 .*signature verified/)
      .waitFor();
    await page
      .getByTestId('toast')
      .getByText(/Import IMPORT-[0-9a-f]+ completed/)
      .waitFor();
    expect(repo.has('b1')).toBe(true);
    await page.screenshot({ path: join(RESULTS, 'e2e-backup-import.png') });
  });
});
