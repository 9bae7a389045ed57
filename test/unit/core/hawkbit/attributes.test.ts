import { describe, expect, it } from 'vitest';
import { attributesOf, syncGatewayOf } from '../../../../src/main/core/hawkbit/attributes';
import { controllerIdOf } from '../../../../src/main/core/hawkbit/sync';
import type { GatewayStatus } from '../../../../src/shared/status';

const part = (id: 'A' | 'B', version: string | null) => ({
  id,
  version,
  status: 'healthy' as const,
  boot_count: null,
  next_boot: null,
  size: null,
  used: null,
  health: null,
});
const status = {
  gateway: {
    id: 'gw-0007',
    name: 'crane-7',
    model: 'CG-200',
    os_version: '5.0.4',
    kernel: null,
    uptime: null,
    bootloader: null,
    last_ota: null,
    serial_number: 'SN7',
    hardware_revision: 'B',
  },
  partitions: { active: part('A', '5.0.4'), inactive: part('B', null) },
} as unknown as GatewayStatus;

describe('hawkBit controller attributes', () => {
  it('come from the gateway status, leaving out what it could not tell', () => {
    expect(attributesOf(status)).toEqual({
      model: 'CG-200',
      serial: 'SN7',
      hwRevision: 'B',
      osVersion: '5.0.4',
      slotA: '5.0.4',
      activeSlot: 'A',
    });
  });

  it('name the controller: a mapping first, then the identity id, then the gateway name', () => {
    const g = syncGatewayOf('crane-7', status);
    expect(controllerIdOf(g)).toBe('gw-0007');
    expect(controllerIdOf(g, { 'crane-7': 'ctl-7' })).toBe('ctl-7');
    expect(controllerIdOf(syncGatewayOf('crane-9', null))).toBe('crane-9');
  });
});
