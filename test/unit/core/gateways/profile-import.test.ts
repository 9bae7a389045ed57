import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../src/main/core/core';
import { MAX_PROFILE_BYTES } from '../../../../src/shared/profile-import';

const SHIPPED = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'resources',
  'profiles',
  'univa-gw-pro.json',
);

/** The shipped profile under another name: a site's own profile. */
const siteProfile = (name = 'site-gw', model = 'Site-GW') => {
  const p = JSON.parse(readFileSync(SHIPPED, 'utf8')) as Record<string, unknown>;
  return JSON.stringify(
    { ...p, name, model, bootloader: { ...(p.bootloader as object), scheme: 'rauc' } },
    null,
    2,
  );
};

describe('profiles.import: a profile from a file, checked and kept by name', () => {
  let core: Core;
  let dataDir: string;
  afterEach(async () => core?.close());
  const fresh = () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rigger-profile-import-'));
    core = createCore({ dataDir, mode: 'test' });
    return core;
  };
  const userFiles = () =>
    existsSync(join(dataDir, 'profiles')) ? readdirSync(join(dataDir, 'profiles')) : [];

  it('takes uploaded content: validated, stored as NAME.json, listed, usable by name', async () => {
    const c = fresh();
    const s = await c.call('profiles.import', { file_name: 'my gw.json', content: siteProfile() });
    expect(s).toMatchObject({ name: 'site-gw', model: 'Site-GW', scheme: 'rauc', source: 'user' });
    expect(userFiles()).toEqual(['site-gw.json']);
    expect((await c.call('profiles.list', {})).map((p) => p.name)).toContain('site-gw');
    // The same profile again changes nothing.
    await expect(
      c.call('profiles.import', { file_name: 'again.json', content: siteProfile() }),
    ).resolves.toMatchObject({ name: 'site-gw' });
    expect(userFiles()).toEqual(['site-gw.json']);
  });

  it('takes a path (the desktop dialog)', async () => {
    const c = fresh();
    const file = join(dataDir, 'picked.json');
    writeFileSync(file, siteProfile('picked-gw'));
    await expect(c.call('profiles.import', { path: file })).resolves.toMatchObject({
      name: 'picked-gw',
      scheme: 'rauc',
    });
  });

  it('refuses a wrong profile naming the field, and stores nothing', async () => {
    const c = fresh();
    const bad = JSON.parse(siteProfile()) as Record<string, unknown>;
    (bad.slots as { A: { device: string } }).A.device = 'mmcblk0p2';
    await expect(
      c.call('profiles.import', { file_name: 'bad.json', content: JSON.stringify(bad) }),
    ).rejects.toMatchObject({
      code: 'PROFILE_INVALID',
      message: expect.stringContaining('slots.A.device'),
    });
    await expect(
      c.call('profiles.import', { file_name: 'x.json', content: '{ not json' }),
    ).rejects.toMatchObject({
      code: 'PROFILE_INVALID',
      message: expect.stringContaining('not valid JSON'),
    });
    expect(userFiles()).toEqual([]);
  });

  it('bounds the size, by content and by path, before parsing', async () => {
    const c = fresh();
    const big = ' '.repeat(MAX_PROFILE_BYTES + 1);
    await expect(
      c.call('profiles.import', { file_name: 'big.json', content: big }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    const file = join(dataDir, 'big.json');
    writeFileSync(file, big);
    await expect(c.call('profiles.import', { path: file })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { limit_bytes: MAX_PROFILE_BYTES },
    });
    expect(userFiles()).toEqual([]);
  });

  it('refuses another profile of a known name unless replace', async () => {
    const c = fresh();
    const shipped = JSON.parse(readFileSync(SHIPPED, 'utf8')) as Record<string, unknown>;
    const other = JSON.stringify({ ...shipped, model: 'Not-The-Shipped-One' });
    await expect(
      c.call('profiles.import', { file_name: 'u.json', content: other }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS', details: { source: 'builtin' } });
    expect(userFiles()).toEqual([]);
    await expect(
      c.call('profiles.import', { file_name: 'u.json', content: other, replace: true }),
    ).resolves.toMatchObject({
      name: 'univa-gw-pro',
      model: 'Not-The-Shipped-One',
      source: 'user',
    });
  });
});
