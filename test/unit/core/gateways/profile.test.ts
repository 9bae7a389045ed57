import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RiggerError } from '../../../../src/shared/errors';
import { createProfileCatalog, parseProfile } from '../../../../src/main/core/gateways/profile';
import { univaProfileJson } from '../../../helpers/profile';

const parseError = (json: unknown): RiggerError => {
  try {
    parseProfile(JSON.stringify(json), 'test.json');
  } catch (err) {
    return err as RiggerError;
  }
  throw new Error('profile was accepted');
};

describe('profile validation', () => {
  it('accepts the shipped univa-gw-pro profile with its defaults', () => {
    const p = parseProfile(JSON.stringify(univaProfileJson()), 'univa');
    expect(p.slots.A.device).toBe('/dev/mmcblk0p2');
    expect(p.bootloader.scheme).toBe('bootcount');
    expect(p.console?.max_load_bytes).toBe(67108864);
  });

  it('refuses an unknown field and names it', () => {
    const err = parseError({ ...univaProfileJson(), colour: 'red' });
    expect(err.code).toBe('PROFILE_INVALID');
    expect(err.message).toContain('colour');
  });

  it('refuses a missing field and names its path', () => {
    const json = univaProfileJson() as { slots: { B: Record<string, unknown> } };
    delete json.slots.B.cmdline_match;
    const err = parseError(json);
    expect(err.message).toContain('slots.B.cmdline_match');
  });

  it('refuses a relative device path and an unknown scheme', () => {
    const a = univaProfileJson() as { slots: { A: { device: string } } };
    a.slots.A.device = 'dev/mmcblk0p2';
    expect(parseError(a).message).toContain('slots.A.device');
    const b = univaProfileJson() as { bootloader: { scheme: string } };
    b.bootloader.scheme = 'grub';
    expect(parseError(b).message).toContain('bootloader.scheme');
  });

  it('refuses slots A and B on the same device', () => {
    const j = univaProfileJson() as { slots: { A: { device: string }; B: { device: string } } };
    j.slots.B.device = j.slots.A.device;
    expect(parseError(j).message).toContain('slots.B.device');
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseProfile('{nope', 'x.json')).toThrow(/not valid JSON/);
  });
});

describe('profile catalog', () => {
  it('lists shipped and user profiles, resolves by name and by path, user files win', () => {
    const root = mkdtempSync(join(tmpdir(), 'rigger-prof-'));
    const builtin = join(root, 'builtin');
    const user = join(root, 'user');
    mkdirSync(builtin);
    mkdirSync(user);
    writeFileSync(join(builtin, 'univa-gw-pro.json'), JSON.stringify(univaProfileJson()));
    const custom = { ...univaProfileJson(), name: 'custom-gw', model: 'Custom' };
    writeFileSync(join(user, 'custom.json'), JSON.stringify(custom));
    writeFileSync(join(user, 'broken.json'), '{');
    const catalog = createProfileCatalog(builtin, user);
    expect(catalog.list().map((p) => [p.name, p.source])).toEqual([
      ['univa-gw-pro', 'builtin'],
      ['custom-gw', 'user'],
    ]);
    expect(catalog.resolve('custom-gw').model).toBe('Custom');
    expect(catalog.resolve(join(user, 'custom.json')).name).toBe('custom-gw');
    expect(() => catalog.resolve('nope')).toThrow(/No profile named "nope"/);
  });
});
