import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/core';
import { makeBundle } from '../../helpers/bundles';
import { useImportCore, vendor, work } from './import-fixture';

useImportCore();

describe('bad input: a clear error and nothing half-imported', () => {
  it('the disk filling up mid-import: OTA_003, the temporary file removed, no row', async () => {
    const data = join(work, 'small-disk');
    mkdirSync(join(data, 'images'), { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', join(data, 'images')]);
    const small = createCore({ dataDir: data, mode: 'test' });
    try {
      await small.call('keys.add', { path: vendor.pub });
      const big = makeBundle(work, 'big', {
        signer: vendor,
        id: 'big-v6.0.0',
        version: 'v6.0.0',
        gzipImage: false,
        size: 3_000_000,
      });
      const err = await small.call('images.import', { path: big.path }).catch((e) => e);
      expect(err).toMatchObject({ code: 'OTA_003' });
      expect(readdirSync(join(data, 'images', 'tmp'))).toEqual([]);
      expect(await small.call('images.list', {})).toEqual([]);
    } finally {
      await small.close();
      execFileSync('umount', [join(data, 'images')]);
    }
  });
});

describe('the library quota (settings rigger.image_quota_bytes)', () => {
  it('refuses an import that would exceed it, writing nothing', async () => {
    const data = join(work, 'quota');
    const q = createCore({ dataDir: data, mode: 'test' });
    try {
      await q.call('keys.add', { path: vendor.pub });
      await q.call('settings.update', { rigger: { image_quota_bytes: 500_000 } });
      const first = makeBundle(work, 'quota1', {
        signer: vendor,
        id: 'q1-v5.0.1',
        version: 'v5.0.1',
        size: 300_000,
      });
      await q.call('images.import', { path: first.path });
      const files = () => readdirSync(join(data, 'images'), { recursive: true }).length;
      const before = files();
      const second = makeBundle(work, 'quota2', {
        signer: vendor,
        id: 'q2-v5.0.2',
        version: 'v5.0.2',
        size: 300_000,
      });
      const err = await q.call('images.import', { path: second.path }).catch((e) => e);
      expect(err).toMatchObject({
        code: 'OTA_003',
        details: { quota: 500_000, needed: statSync(second.path).size },
      });
      expect(err.message).toMatch(/quota/);
      expect(files()).toBe(before);
      expect(readdirSync(join(data, 'images', 'tmp'))).toEqual([]);
      expect((await q.call('images.list', {})).map((i) => i.id)).toEqual(['q1-v5.0.1']);
    } finally {
      await q.close();
    }
  });
});
