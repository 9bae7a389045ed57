import { describe, expect, it } from 'vitest';
import { checkImage, pickTarget } from '../../../../src/main/core/ota/checks';
import type { LibraryImage } from '../../../../src/shared/images';
import type { Profile } from '../../../../src/shared/profile';
import { envMismatch } from '../../../../src/main/core/ota/env-write';
import { recent } from '../../../../src/main/core/slots/read-back';
import type { GatewayStatus } from '../../../../src/shared/status';

const status = (booted: 'A' | 'B' | null, consistent = true) =>
  ({ boot: { booted_slot: booted, consistent }, warnings: [] }) as unknown as GatewayStatus;

describe('target slot', () => {
  it('is the slot not booted', () => {
    expect(pickTarget(status('A'), undefined)).toEqual({ booted: 'A', target: 'B' });
  });
  it('refuses the booted slot with OTA_008', () => {
    expect(() => pickTarget(status('A'), 'A')).toThrow(
      expect.objectContaining({ code: 'OTA_008' }),
    );
  });
  it('refuses to pick anything while the boot state is inconsistent', () => {
    expect(() => pickTarget(status('A', false), 'B')).toThrow(
      expect.objectContaining({ code: 'OTA_008' }),
    );
    expect(() => pickTarget(status(null), 'B')).toThrow(
      expect.objectContaining({ code: 'OTA_008' }),
    );
  });
});

describe('env read-back', () => {
  it('names every variable that did not take', () => {
    expect(envMismatch({ a: '1', b: '2' }, { a: '1', b: '3', c: 'x' })).toEqual([
      { name: 'b', expected: '3', actual: '2' },
      { name: 'c', expected: 'x', actual: null },
    ]);
  });
});

describe('checkpoints', () => {
  it('resume candidates are the newest ones first', () => {
    const cps = [1, 2, 3, 4, 5].map((o) => ({ offset: o * 10, sha256: String(o) }));
    expect(recent(cps, 3).map((c) => c.offset)).toEqual([50, 40, 30]);
  });
});

describe('image checks (rule 4)', () => {
  const image = {
    id: 'img',
    version: 'v5.1.0',
    signature: 'verified',
    size: 100,
    compatible: { models: ['M'], hardware_revisions: ['R'] },
    prerequisites: [],
  } as unknown as LibraryImage;
  const gw = {
    gateway: { model: 'M', hardware_revision: 'R', os_version: 'v5.0.0' },
  } as unknown as GatewayStatus;
  const profile = {
    slots: { A: { size_bytes: 1000 }, B: { size_bytes: 50 } },
  } as unknown as Profile;
  const opts = { allowUnsigned: false, verifySignature: true };
  it('refuses an image larger than the slot (OTA_003)', () => {
    expect(() => checkImage(image, gw, profile, 'B', opts)).toThrow(
      expect.objectContaining({ code: 'OTA_003' }),
    );
    expect(() => checkImage(image, gw, profile, 'A', opts)).not.toThrow();
  });
  it('refuses an unsigned image without the explicit choice, and an invalid one always (OTA_006)', () => {
    const unsigned = { ...image, signature: 'unsigned' } as LibraryImage;
    expect(() => checkImage(unsigned, gw, profile, 'A', opts)).toThrow(
      expect.objectContaining({ code: 'OTA_006' }),
    );
    expect(() =>
      checkImage(unsigned, gw, profile, 'A', { ...opts, allowUnsigned: true }),
    ).not.toThrow();
    const invalid = { ...image, signature: 'invalid' } as LibraryImage;
    expect(() => checkImage(invalid, gw, profile, 'A', { ...opts, allowUnsigned: true })).toThrow(
      expect.objectContaining({ code: 'OTA_006' }),
    );
  });
  it('refuses an image for another model (OTA_005)', () => {
    const other = { ...gw, gateway: { ...gw.gateway, model: 'X' } } as GatewayStatus;
    expect(() => checkImage(image, other, profile, 'A', opts)).toThrow(
      expect.objectContaining({ code: 'OTA_005' }),
    );
  });
});
