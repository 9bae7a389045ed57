import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalLocation } from '../../../src/main/core/backup-places/storage/local';
import { checkObjectPath } from '../../../src/main/core/backup-places/storage/location';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('local location', () => {
  it('resumes from a partial copy left by a cut, and lists no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigger-local-'));
    const data = randomBytes(3 * 1024 * 1024);
    const src = join(dir, 'src.bin');
    writeFileSync(src, data);
    const loc = new LocalLocation({ id: 'local', root: join(dir, 'store') });
    mkdirSync(join(dir, 'store/GW-001/b1'), { recursive: true });
    // What a cut copy leaves: the first megabyte, under the partial name.
    writeFileSync(join(dir, 'store/GW-001/b1/data.rbk.partial'), data.subarray(0, 1024 * 1024));
    expect(await loc.list()).toEqual([]);
    const out = await loc.put(src, 'GW-001/b1/data.rbk');
    expect(out).toEqual({ size: data.length, resumed_from: 1024 * 1024 });
    expect(sha(readFileSync(loc.fileOf('GW-001/b1/data.rbk')))).toBe(sha(data));
    expect(await loc.list()).toEqual([{ path: 'GW-001/b1/data.rbk', size: data.length }]);
  });

  it('refuses a file past its quota and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigger-local-'));
    const loc = new LocalLocation({
      id: 'local',
      root: join(dir, 'store'),
      quota: 1000,
      cleanupThreshold: 50,
    });
    const src = join(dir, 'src.bin');
    writeFileSync(src, randomBytes(600));
    await loc.put(src, 'a.rbk');
    expect(await loc.health()).toMatchObject({
      health: 'warning',
      used: 600,
      available: 400,
      utilization: 60,
    });
    await expect(loc.put(src, 'b.rbk')).rejects.toMatchObject({ code: 'OTA_003' });
    expect(await loc.list()).toEqual([{ path: 'a.rbk', size: 600 }]);
  });

  it('refuses paths that leave the location', () => {
    for (const bad of [
      '',
      '../etc/passwd',
      'a/../../b',
      '/abs',
      'a//b',
      'a/b.partial',
      'sp ace',
      'x'.repeat(600),
    ])
      expect(() => checkObjectPath(bad)).toThrow(/not a stored file path/);
    expect(checkObjectPath('GW-001/backup_1/data.rbk')).toBe('GW-001/backup_1/data.rbk');
  });
});
