import { describe, expect, it } from 'vitest';
import { rebootProven, sameBoot } from '../../../../src/main/core/ota/boot-proof';
import type { GatewayStatus } from '../../../../src/shared/status';

const TRY = { boot_slot: 'B', upgrade_available: '1', bootcount: '0' };

/** Only the part of a status the verdict reads. */
const seen = (
  booted: 'A' | 'B',
  next: 'A' | 'B',
  bootId: string | null,
  env: Record<string, string> = TRY,
): GatewayStatus =>
  ({
    boot: { booted_slot: booted, next_slot: next, boot_id: bootId, env, consistent: true },
  }) as unknown as GatewayStatus;

describe('a reboot verdict needs a consistent picture', () => {
  const proven = rebootProven('B', TRY, 'boot-1');

  it('the field bug: old cmdline, environment already counted, same boot id: not a reboot', () => {
    expect(proven(seen('A', 'B', 'boot-1', { ...TRY, bootcount: '1' }))).toBe(false);
  });
  it('a new boot id on the old slot while the environment still boots the target: not yet', () => {
    expect(proven(seen('A', 'B', 'boot-2', { ...TRY, bootcount: '1' }))).toBe(false);
  });
  it('a new boot id on the target: booted', () => {
    expect(proven(seen('B', 'B', 'boot-2', { ...TRY, bootcount: '1' }))).toBe(true);
  });
  it('a new boot id, the old slot, the environment gave the target up: a rollback', () => {
    const env = { boot_slot: 'A', upgrade_available: '0', bootcount: '4' };
    expect(proven(seen('A', 'A', 'boot-2', env))).toBe(true);
  });
  it('without boot ids, the old rule still asks the environment to agree', () => {
    const blind = rebootProven('B', TRY, null);
    expect(blind(seen('A', 'B', null, { ...TRY, bootcount: '1' }))).toBe(false);
    expect(blind(seen('B', 'B', null))).toBe(true);
  });
  it('two reads agree only on the same boot', () => {
    expect(sameBoot(seen('B', 'B', 'boot-2'), seen('B', 'B', 'boot-2'))).toBe(true);
    expect(sameBoot(seen('B', 'B', 'boot-2'), seen('B', 'B', 'boot-3'))).toBe(false);
  });
});
