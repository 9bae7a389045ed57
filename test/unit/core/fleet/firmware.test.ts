import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFirmwareRegistry } from '../../../../src/main/core/fleet/firmware';
import { otaCheckFor } from '../../../../src/main/core/fleet/firmware-check';
import { openDatabase } from '../../../../src/main/core/store/database';

const image = (version: string, signature: 'verified' | 'unsigned' | 'invalid' = 'verified') => ({
  id: `img-${version}`,
  version,
  sha256: 'b'.repeat(64),
  size: 1024,
  signature,
});

describe('firmware versions', () => {
  const fw = () => createFirmwareRegistry(openDatabase(mkdtempSync(join(tmpdir(), 'rigger-fw-'))));

  it('records library images as versions per device type, newest first', () => {
    const f = fw();
    f.add({ version: '1.0.0', device_type: 'crane_node' }, image('1.0.0'));
    f.add(
      { version: '1.10.0', device_type: 'crane_node', release_notes: 'Fixes', mandatory: 'true' },
      image('1.10.0'),
    );
    f.add({ version: '1.2.0', device_type: 'crane_node', mandatory: 'false' }, image('1.2.0'));
    f.add({ version: '2.0.0', device_type: 'site_box' }, image('2.0.0'));
    const list = f.list({ device_type: 'crane_node' }).firmware;
    expect(list.map((x) => x.version)).toEqual(['1.10.0', '1.2.0', '1.0.0']);
    expect(list[0]).toMatchObject({
      mandatory: true,
      checksum: 'sha256:' + 'b'.repeat(64),
      signed: true,
    });
    expect(list[1]!.mandatory).toBe(false);
    expect(f.imageOf('crane_node', '1.2.0')).toBe('img-1.2.0');
    expect(f.imageOf('site_box', '1.2.0')).toBeNull();
    const all = f.list().firmware;
    expect(otaCheckFor(all, 'crane_node', '1.2.0')).toMatchObject({
      update_available: true,
      latest_version: '1.10.0',
      mandatory: true,
    });
    expect(otaCheckFor(all, 'crane_node', '1.10.0').update_available).toBe(false);
    expect(otaCheckFor(all, 'unknown_type', '1.0.0')).toMatchObject({
      update_available: false,
      latest_version: null,
    });
  });

  it('refuses unsigned (unless asked), badly signed, mismatched and duplicate versions', () => {
    const f = fw();
    expect(() => f.add({ version: '1.0.0', device_type: 't' }, image('1.0.0', 'unsigned'))).toThrow(
      expect.objectContaining({ code: 'OTA_006' }),
    );
    expect(() =>
      f.add({ version: '1.0.0', device_type: 't', unsigned: true }, image('1.0.0', 'invalid')),
    ).toThrow(expect.objectContaining({ code: 'OTA_006' }));
    expect(() => f.add({ version: '1.0.1', device_type: 't' }, image('1.0.0'))).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(
      f.add({ version: '1.0.0', device_type: 't', unsigned: 'true' }, image('1.0.0', 'unsigned'))
        .signed,
    ).toBe(false);
    expect(() => f.add({ version: '1.0.0', device_type: 't' }, image('1.0.0'))).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
    expect(f.list().firmware).toHaveLength(1);
  });
});
