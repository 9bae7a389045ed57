import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRawImage } from '../../helpers/bundles';
import { rigger } from '../../helpers/cli';

describe('rigger keys, bundle create and images from the command line', () => {
  it('generates a site key, makes a bundle with it, trusts it, imports, lists, verifies and removes', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rigger-imgcli-'));
    const data = join(d, 'data');
    const gen = JSON.parse(
      (await rigger('keys', 'generate', '--out', join(d, 'keys'), '--json')).out,
    );
    makeRawImage(join(d, 'site.img'), 120_000, 'cli');
    writeFileSync(
      join(d, 'm.json'),
      JSON.stringify({
        id: 'site-v1.2.0',
        version: 'v1.2.0',
        type: 'hotfix',
        severity: 'high',
        channel: 'stable',
        released: '2025-05-01',
        description: 'd',
        changelog: ['x'],
        compatible: { models: ['Univa-GW-Pro'], hardware_revisions: ['RevB'] },
        prerequisites: ['v1.0.0+'],
      }),
    );
    const made = await rigger(
      'bundle',
      'create',
      '--image',
      join(d, 'site.img'),
      '--manifest',
      join(d, 'm.json'),
      '--key',
      gen.privateKey,
      '-o',
      join(d, 'site.tar.gz'),
      '--json',
    );
    expect(JSON.parse(made.out).signer).toBe(gen.fingerprint);
    const untrusted = await rigger(
      '--data-dir',
      data,
      'images',
      'import',
      join(d, 'site.tar.gz'),
      '--json',
    );
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.err).code).toBe('OTA_006');
    expect((await rigger('--data-dir', data, 'keys', 'add', gen.publicKey)).code).toBe(0);
    const imported = await rigger(
      '--data-dir',
      data,
      'images',
      'import',
      join(d, 'site.tar.gz'),
      '--json',
    );
    expect(JSON.parse(imported.out)).toMatchObject({ id: 'site-v1.2.0', signature: 'verified' });
    const list = JSON.parse((await rigger('--data-dir', data, 'images', 'list', '--json')).out);
    expect(list.map((i: { id: string }) => i.id)).toEqual(['site-v1.2.0']);
    expect((await rigger('--data-dir', data, 'images', 'verify', 'site-v1.2.0')).out).toContain(
      'intact',
    );
    expect((await rigger('--data-dir', data, 'images', 'remove', 'site-v1.2.0')).code).toBe(0);
    expect((await rigger('--data-dir', data, 'images', 'show', 'site-v1.2.0')).code).toBe(1);
    const loose = await rigger(
      '--data-dir',
      data,
      'images',
      'import',
      join(d, 'site.img'),
      '--unsigned',
      '--version',
      'v1.2.1-custom',
      '--json',
    );
    expect(JSON.parse(loose.out).signature).toBe('unsigned');
  });

  it('checks --version with the same schema as the API: a bad version is refused, nothing imported', async () => {
    const d = mkdtempSync(join(tmpdir(), 'rigger-imgcli-'));
    const data = join(d, 'data');
    makeRawImage(join(d, 'loose.img'), 50_000, 'cli-bad');
    const bad = await rigger(
      '--data-dir',
      data,
      'images',
      'import',
      join(d, 'loose.img'),
      '--unsigned',
      '--version',
      'banana',
      '--json',
    );
    expect(bad.code).toBe(1);
    const err = JSON.parse(bad.err);
    expect(err).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(err.message).toMatch(/version/);
    expect(err.message).toMatch(/v5\.0\.5/);
    const list = JSON.parse((await rigger('--data-dir', data, 'images', 'list', '--json')).out);
    expect(list).toEqual([]);
  });
});
