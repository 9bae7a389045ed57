import { describe, expect, it } from 'vitest';
import { updatesCheckSchema, uploadVerifySchema } from '../../../src/shared/images';
import { makeBundle, type BundleOpts } from '../../helpers/bundles';
import {
  bundle,
  core,
  sha,
  srv,
  useCatalogCore,
  useVendorBundle,
  vendor,
  work,
} from './catalog-fixture';

useVendorBundle();

describe('catalog sync, updates check and upload verify', () => {
  useCatalogCore();

  it('lists a catalog entry as not downloaded yet, offline', async () => {
    await core.call('images.sync', { server: srv.url, channel: 'stable', download: false });
    const check = await core.call('updates.check', { gateway: 'gw' });
    expect(updatesCheckSchema.parse(check)).toEqual(check);
    expect(check.updates).toEqual([
      expect.objectContaining({
        id: 'univa-gw-pro-v5.0.5',
        downloaded: false,
        signature: null,
        compatible: true,
      }),
    ]);
    expect(check.last_checked).toBeTruthy();
    expect(check.gateway_version).toBe('v5.0.4');
  });

  it('downloads (resuming the cut transfer), verifies and imports the bundle', async () => {
    const r = await core.call('images.sync', { server: srv.url, channel: 'stable' });
    expect(r).toMatchObject({ downloaded: ['univa-gw-pro-v5.0.5'], failed: [] });
    expect(
      srv.requests.some((q) => q.path.endsWith('.tar.gz') && q.range?.startsWith('bytes=')),
    ).toBe(true);
    const check = await core.call('updates.check', { gateway: 'gw' });
    expect(check.updates).toEqual([
      expect.objectContaining({
        id: 'univa-gw-pro-v5.0.5',
        downloaded: true,
        signature: 'verified',
        size_unit: 'MB',
        checksum: `sha256:${sha(bundle.image)}`,
      }),
    ]);
  });

  it('offers only what fits: model, hardware revision, newer, prerequisites met', async () => {
    const cases: Array<[string, Partial<BundleOpts>]> = [
      ['reva', { revisions: ['RevA'], version: 'v5.0.8' }],
      ['old', { version: 'v5.0.1' }],
      ['prereq', { version: 'v5.0.9', prerequisites: ['v5.0.6+'] }],
      ['other', { version: 'v5.1.0', models: ['Other-GW'] }],
      ['fits', { version: 'v5.1.0' }],
    ];
    for (const [name, o] of cases) {
      const b = makeBundle(work, `fit-${name}`, { signer: vendor, id: `fit-${name}`, ...o });
      await core.call('images.import', { path: b.path });
    }
    const ids = (await core.call('updates.check', { gateway: 'gw' })).updates.map((u) => u.id);
    expect(ids).toEqual(['fit-fits', 'univa-gw-pro-v5.0.5']);
  });

  it("verifies an image against the gateway's profile, in the seed's shape, nulls for what cannot be checked", async () => {
    const v = await core.call('upload.verify', { image_id: 'univa-gw-pro-v5.0.5', gateway: 'gw' });
    expect(uploadVerifySchema.parse(v)).toEqual(v);
    expect(v.validation).toEqual({
      signature_valid: true,
      checksum_valid: true,
      // Random bytes: not a filesystem Rigger can recognise, so the layout cannot be judged.
      partition_layout_valid: null,
      // The sim's environment selects a slot and falls back (altbootcmd, bootlimit).
      bootloader_compatible: true,
      hardware_compatible: true,
      size_adequate: true,
    });
    expect(v.status).toBe('incomplete');
    const other = await core.call('upload.verify', { image_id: 'fit-other', gateway: 'gw' });
    expect(other.validation.hardware_compatible).toBe(false);
    expect(other.status).toBe('failed');
  });
});
