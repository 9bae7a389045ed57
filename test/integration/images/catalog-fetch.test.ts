import { describe, expect, it } from 'vitest';
import { fetchCatalog } from '../../../src/main/core/images/catalog';
import { catalogOf, core, entry, useCatalogCore, useVendorBundle } from './catalog-fixture';
import { updateServer } from './update-server';

useVendorBundle();

describe('catalog sync, updates check and upload verify', () => {
  useCatalogCore();

  it('refuses a server that answers 404, HTML, or a catalog that fails its schema', async () => {
    const bad = await updateServer({
      '/stable/catalog.json': '<html>login</html>',
      '/beta/catalog.json': catalogOf([{ id: 'x' }]),
    });
    try {
      await expect(
        core.call('images.sync', { server: bad.url, channel: 'stable' }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('not JSON') });
      await expect(
        core.call('images.sync', { server: bad.url, channel: 'beta' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('updates.0'),
      });
      await expect(
        core.call('images.sync', { server: bad.url, channel: 'nightly' }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('404') });
    } finally {
      await bad.close();
    }
  });

  it('retries the catalog fetch with backoff: a 503 and a dropped connection, then it answers', async () => {
    const flaky = await updateServer(
      { '/stable/catalog.json': catalogOf([entry()]) },
      { failFirst: { '/stable/catalog.json': 2 } },
    );
    try {
      const r = await core.call('images.sync', {
        server: flaky.url,
        channel: 'stable',
        download: false,
      });
      expect(r).toMatchObject({ channel: 'stable', updates: 1 });
      expect(flaky.requests.map((q) => q.path)).toEqual(Array(3).fill('/stable/catalog.json'));
    } finally {
      await flaky.close();
    }
  });

  it('gives up after its retries on a server that stays unwell, and never retries a 404', async () => {
    const down = await updateServer(
      { '/stable/catalog.json': catalogOf([entry()]) },
      { failFirst: { '/stable/catalog.json': 100 } },
    );
    try {
      const started = Date.now();
      await expect(
        fetchCatalog(down.url, 'stable', { retries: 3, backoffMs: 20 }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('4 tries') });
      expect(down.requests).toHaveLength(4);
      // Backoff doubles: 20 + 40 + 80 ms at least.
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      await expect(
        fetchCatalog(down.url, 'beta', { retries: 3, backoffMs: 20 }),
      ).rejects.toMatchObject({ code: 'OTA_009', message: expect.stringContaining('404') });
      expect(down.requests).toHaveLength(5);
    } finally {
      await down.close();
    }
  });
});
