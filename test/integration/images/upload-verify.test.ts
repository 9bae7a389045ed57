import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { uploadVerifySchema } from '../../../src/shared/images';
import { makeBundle, opensslEd25519 } from '../../helpers/bundles';
import { addSimGateway } from '../../helpers/sim-gateway';
import { core, sim, useCatalogCore, useVendorBundle, vendor, work } from './catalog-fixture';

useVendorBundle();

describe('catalog sync, updates check and upload verify', () => {
  useCatalogCore();

  describe('upload.verify of a file not yet imported', () => {
    let ext4: string;
    const libraryIds = async () => (await core.call('images.list', {})).map((i) => i.id).sort();
    const leftovers = () => readdirSync(join(work, 'data')).filter((n) => n.startsWith('verify-'));

    beforeAll(() => {
      ext4 = join(work, 'rootfs.ext4');
      execFileSync('mke2fs', ['-q', '-t', 'ext4', '-F', ext4, '2M']);
    });

    it('reads a fully checkable bundle and finds it verified, importing nothing', async () => {
      const before = await libraryIds();
      const b = makeBundle(work, 'vfy-ok', {
        signer: vendor,
        id: 'vfy-ok',
        version: 'v5.2.0',
        imageFile: ext4,
      });
      const v = await core.call('upload.verify', { path: b.path, gateway: 'gw' });
      expect(uploadVerifySchema.parse(v)).toEqual(v);
      expect(v.validation).toEqual({
        signature_valid: true,
        checksum_valid: true,
        partition_layout_valid: true,
        bootloader_compatible: true,
        hardware_compatible: true,
        size_adequate: true,
      });
      expect(v.status).toBe('verified');
      expect(v.file).toMatchObject({
        name: 'vfy-ok.tar.gz',
        version: 'v5.2.0',
        format: 'raw',
        compression: 'gzip',
        checksum: `sha256:${(b.manifest.image as { compressed_sha256: string }).compressed_sha256}`,
      });
      expect(v.metadata).toMatchObject({ signature: 'verified', compatibility: 'compatible' });
      expect(await libraryIds()).toEqual(before);
      expect(leftovers()).toEqual([]);
    });

    it('checksum_valid=false for a bundle whose image hash does not match its manifest', async () => {
      const before = await libraryIds();
      const b = makeBundle(work, 'vfy-hash', {
        signer: vendor,
        id: 'vfy-hash',
        version: 'v5.2.1',
        imageFile: ext4,
        tamper: (m) => ((m.image as Record<string, unknown>).sha256 = 'a'.repeat(64)),
      });
      const v = await core.call('upload.verify', { path: b.path, gateway: 'gw' });
      expect(v.validation.checksum_valid).toBe(false);
      // The manifest was signed as it is: only the bytes are wrong.
      expect(v.validation.signature_valid).toBe(true);
      expect(v.status).toBe('failed');
      expect(await libraryIds()).toEqual(before);
      expect(leftovers()).toEqual([]);
    });

    it('size_adequate=false for an image larger than the slot of the gateway profile', async () => {
      const small = JSON.parse(readFileSync(sim.profilePath, 'utf8'));
      small.slots.A.size_bytes = 1024 * 1024;
      small.slots.B.size_bytes = 1024 * 1024;
      writeFileSync(join(work, 'small-slots.json'), JSON.stringify(small));
      await addSimGateway(core, sim, { name: 'gw-small', profile: join(work, 'small-slots.json') });
      const b = makeBundle(work, 'vfy-ok', {
        signer: vendor,
        id: 'vfy-ok',
        version: 'v5.2.0',
        imageFile: ext4,
      });
      const v = await core.call('upload.verify', { path: b.path, gateway: 'gw-small' });
      expect(v.validation.size_adequate).toBe(false);
      expect(v.validation.checksum_valid).toBe(true);
      expect(v.status).toBe('failed');
    });

    it('an untrusted signer fails; a loose image is judged as far as it can be', async () => {
      const stranger = opensslEd25519(work, 'vfy-stranger');
      const untrusted = await core.call('upload.verify', {
        path: makeBundle(work, 'vfy-untrusted', {
          signer: stranger,
          id: 'vfy-u',
          version: 'v5.2.2',
          imageFile: ext4,
        }).path,
        gateway: 'gw',
      });
      expect(untrusted.validation.signature_valid).toBe(false);
      expect(untrusted.metadata.signature).toBe('invalid');
      expect(untrusted.status).toBe('failed');

      const img = join(work, 'custom-v5.2.3.img');
      copyFileSync(ext4, img);
      const loose = await core.call('upload.verify', {
        path: img,
        version: 'v5.2.3-custom',
        gateway: 'gw',
      });
      expect(loose.file).toMatchObject({ name: 'custom-v5.2.3.img', version: 'v5.2.3-custom' });
      // No manifest: no signature, nothing to check the hash against, no compatibility list.
      expect(loose.validation).toEqual({
        signature_valid: null,
        checksum_valid: null,
        partition_layout_valid: true,
        bootloader_compatible: true,
        hardware_compatible: null,
        size_adequate: true,
      });
      expect(loose.status).toBe('incomplete');
      await expect(core.call('upload.verify', { path: img, gateway: 'gw' })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
      await expect(
        core.call('upload.verify', { path: img, image_id: 'vfy-ok', gateway: 'gw' }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(leftovers()).toEqual([]);
    });
  });
});
