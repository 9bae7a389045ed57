import { describe, expect, it } from 'vitest';
import type { RiggerErrorData } from '../../../../../src/shared/errors';
import {
  attemptsText,
  bootedSlot,
  cardState,
  commitText,
  healthText,
  identityRows,
  identityTitle,
  isNextBoot,
  slotPartition,
  systemRows,
} from '../../../../../src/renderer/src/pages/gateways/gateway-view';
import {
  hostKeyFacts,
  isHostKeyError,
} from '../../../../../src/renderer/src/pages/gateways/host-key';
import { EMPTY_STATUS } from '../../../../../src/renderer/src/stores/status';
import { sampleStatus } from '../../fake-api-client';

const err = (
  code: RiggerErrorData['code'],
  details: Record<string, unknown> = {},
): RiggerErrorData => ({
  error: true,
  code,
  message: code,
  details,
  suggested_actions: [],
});

describe('slots', () => {
  it('finds each slot whichever of active/inactive it is', () => {
    const s = sampleStatus();
    expect(slotPartition(s, 'A')?.version).toBe('v5.0.4');
    expect(slotPartition(s, 'B')?.version).toBe('v5.0.3');
    s.partitions.active.id = 'B';
    s.partitions.inactive.id = 'A';
    expect(slotPartition(s, 'B')?.version).toBe('v5.0.4');
    expect(slotPartition(null, 'A')).toBeNull();
  });

  it('takes the booted slot from the active partition, else the boot environment', () => {
    const s = sampleStatus();
    expect(bootedSlot(s)).toBe('A');
    s.partitions.active.id = null;
    s.boot!.booted_slot = 'B';
    expect(bootedSlot(s)).toBe('B');
    s.boot = null;
    expect(bootedSlot(s)).toBeNull();
  });

  it('at the U-Boot prompt nothing is booted, whatever slot U-Boot will pick', () => {
    const s = sampleStatus();
    s.status = 'bootloader';
    expect(bootedSlot(s)).toBeNull();
  });

  it('says attempts left, or why there is no count', () => {
    const s = sampleStatus();
    expect(attemptsText(s.boot, 'A')).toBe('not counted (no update on trial)');
    s.boot!.upgrade_pending = true;
    s.boot!.slots.A.attempts_left = 2;
    expect(attemptsText(s.boot, 'A')).toBe('2');
    s.boot!.slots.A.attempts_left = 0;
    expect(attemptsText(s.boot, 'A')).toBe('0');
    s.boot!.upgrade_pending = null;
    s.boot!.slots.B.attempts_left = null;
    expect(attemptsText(s.boot, 'B')).toBe('unknown');
    expect(attemptsText(null, 'A')).toBe('unknown');
  });

  it('marks the next boot from the environment, else the partition', () => {
    const s = sampleStatus();
    expect(isNextBoot(s.boot, s.partitions.active, 'A')).toBe(true);
    expect(isNextBoot(s.boot, s.partitions.inactive, 'B')).toBe(false);
    expect(isNextBoot(null, s.partitions.active, 'A')).toBe(true);
    expect(isNextBoot(null, null, 'A')).toBeNull();
  });

  it('words health and commit state without guessing', () => {
    const s = sampleStatus();
    expect(healthText(s.partitions.active, true)).toBe('good');
    expect(healthText(s.partitions.inactive, false)).toBe('not checked (not running)');
    expect(healthText(null, true)).toBe('unknown');
    expect(commitText(s.boot)).toBe('committed');
    expect(commitText({ ...s.boot!, upgrade_pending: true })).toMatch(/not committed/);
    expect(commitText(null)).toBe('commit state unknown');
  });
});

describe('identity and system figures', () => {
  it('titles the gateway as it names itself', () => {
    const s = sampleStatus();
    expect(identityTitle(s)).toBe('Gateway 01 (gw-01)');
    s.gateway.id = null;
    expect(identityTitle(s)).toBe('Gateway 01');
  });

  it('shows unknown for null and keeps a real 0', () => {
    const rows = Object.fromEntries(systemRows(sampleStatus()));
    expect(rows.CPU).toBe('0 %');
    expect(rows.Memory).toBe('4.7 %');
    expect(rows.Disk).toBe('unknown');
    expect(rows.Temperature).toBe('unknown');
    expect(rows['Auto rollback']).toBe('armed');
    expect(rows['Rollback tries used']).toBe('unknown');
    const id = Object.fromEntries(identityRows(sampleStatus()));
    expect(id['Last OTA']).toBe('unknown');
    expect(Object.keys(id)).toEqual([
      'ID',
      'Name',
      'Model',
      'Serial number',
      'Hardware revision',
      'OS version',
      'Kernel',
      'Bootloader',
      'Uptime',
      'Last OTA',
    ]);
  });
});

describe('card status word', () => {
  it('says what this session knows', () => {
    expect(cardState(EMPTY_STATUS)).toBe('not checked');
    expect(cardState({ ...EMPTY_STATUS, loading: true })).toBe('checking');
    expect(cardState({ ...EMPTY_STATUS, status: sampleStatus() })).toBe('online');
    expect(cardState({ ...EMPTY_STATUS, error: err('HOST_KEY_UNKNOWN') })).toBe('key not trusted');
    expect(cardState({ ...EMPTY_STATUS, error: err('HOST_KEY_CHANGED') })).toBe('key changed');
    expect(cardState({ ...EMPTY_STATUS, error: err('HOST_UNREACHABLE') })).toBe('unreachable');
    expect(cardState({ ...EMPTY_STATUS, error: err('AUTH_FAILED') })).toBe('login refused');
    expect(cardState({ ...EMPTY_STATUS, error: err('INTERNAL') })).toBe('error');
  });
});

describe('host key errors', () => {
  it('reads the keys and the address from the details', () => {
    const e = err('HOST_KEY_CHANGED', {
      host: '10.0.0.5',
      port: 22,
      stored_fingerprint: 'SHA256:old',
      offered_fingerprint: 'SHA256:new',
      algorithm: 'ssh-ed25519',
    });
    expect(isHostKeyError(e)).toBe(true);
    expect(hostKeyFacts(e)).toEqual({
      where: '10.0.0.5:22',
      algorithm: 'ssh-ed25519',
      offered: 'SHA256:new',
      stored: 'SHA256:old',
    });
    expect(hostKeyFacts(err('HOST_KEY_UNKNOWN', { offered_fingerprint: 5 }))).toEqual({
      where: null,
      algorithm: null,
      offered: null,
      stored: null,
    });
    expect(isHostKeyError(err('HOST_UNREACHABLE'))).toBe(false);
    expect(isHostKeyError(null)).toBe(false);
  });
});
