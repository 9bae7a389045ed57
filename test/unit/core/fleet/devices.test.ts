import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDeviceRegistry } from '../../../../src/main/core/fleet/devices';
import { openDatabase } from '../../../../src/main/core/store/database';
import type { Gateway } from '../../../../src/shared/gateways';

const T0 = Date.parse('2026-11-01T10:00:00Z');

function registry(opts: { running?: Set<string> } = {}) {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-dev-')));
  const clock = { now: T0 };
  const reg = createDeviceRegistry({
    db,
    now: () => clock.now,
    jobRunning: (d) => opts.running?.has(d.device_id) ?? false,
  });
  return { db, reg, clock };
}

const speaker = {
  device_id: 'crane-7-node',
  device_type: 'crane_node',
  name: 'Crane 7 node',
  firmware_version: '1.0.0',
  metadata: { location: 'berth 3' },
};

const gw = (name: string, last_seen: string | null = null): Gateway =>
  ({
    id: 1,
    name,
    profile: 'univa',
    connection: {
      type: 'ssh',
      host: '10.0.0.1',
      port: 22,
      user: 'root',
      auth: { method: 'agent' },
    },
    host_key: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    last_seen,
  }) as unknown as Gateway;

describe('device registry', () => {
  it('registers a device with a token kept only as its hash', () => {
    const { db, reg } = registry();
    const r = reg.register(speaker);
    expect(r).toMatchObject({ device_id: 'crane-7-node', status: 'registered' });
    expect(r.auth_token).toMatch(/^dev_[A-Za-z0-9_-]{43}$/);
    const stored = db.prepare('SELECT token_hash FROM devices').get() as { token_hash: string };
    expect(stored.token_hash).not.toContain(r.auth_token);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(reg.verify('crane-7-node', r.auth_token).device_id).toBe('crane-7-node');
    expect(() => reg.register(speaker)).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });

  it('refuses wrong, revoked and rotated tokens and changes nothing', () => {
    const { reg } = registry();
    const { auth_token } = reg.register(speaker);
    expect(() => reg.verify('crane-7-node', auth_token + 'x')).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
    expect(() => reg.verify('nobody', auth_token)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
    const rotated = reg.auth({
      device_id: 'crane-7-node',
      device_secret: auth_token,
      firmware_version: '1.0.1',
    });
    expect(rotated.auth_token).not.toBe(auth_token);
    expect(() => reg.verify('crane-7-node', auth_token)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
    expect(reg.get('crane-7-node')).toMatchObject({ firmware_version: '1.0.1', status: 'online' });
    reg.revoke('crane-7-node');
    expect(() => reg.verify('crane-7-node', rotated.auth_token)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
    expect(() =>
      reg.auth({ device_id: 'crane-7-node', device_secret: rotated.auth_token }),
    ).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(reg.get('crane-7-node').firmware_version).toBe('1.0.1');
  });

  it('keeps the status true: seen, stale, updating, error, decommissioned', () => {
    const running = new Set<string>();
    const { reg, clock } = registry({ running });
    reg.register(speaker);
    expect(reg.get('crane-7-node').status).toBe('registered');
    reg.markSeen('crane-7-node');
    expect(reg.get('crane-7-node').status).toBe('online');
    clock.now += 10 * 60_000;
    expect(reg.get('crane-7-node').status).toBe('offline');
    running.add('crane-7-node');
    expect(reg.get('crane-7-node').status).toBe('updating');
    running.clear();
    reg.markError('crane-7-node', 'update failed');
    expect(reg.get('crane-7-node')).toMatchObject({
      status: 'error',
      metadata: { last_error: 'update failed' },
    });
    reg.markSeen('crane-7-node');
    expect(reg.get('crane-7-node').status).toBe('online');
    const gone = reg.decommission('crane-7-node');
    expect(gone.status).toBe('decommissioned');
    expect(() => reg.patch('crane-7-node', { name: 'x' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
  });

  it('lists with status and type filters; PATCH merges metadata', () => {
    const { reg } = registry();
    reg.register(speaker);
    reg.register({ ...speaker, device_id: 'crane-8-node' });
    reg.register({ ...speaker, device_id: 'box-1', device_type: 'site_box' });
    reg.markSeen('crane-8-node');
    expect(reg.list({ type: 'crane_node' }).total).toBe(2);
    expect(reg.list({ status: 'online' }).devices.map((x) => x.device_id)).toEqual([
      'crane-8-node',
    ]);
    expect(reg.list({ status: 'online', type: 'site_box' }).total).toBe(0);
    expect(() => reg.list({ status: 'sleeping' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    const p = reg.patch('box-1', { name: 'Site box', metadata: { location: null, rack: '2' } });
    expect(p).toMatchObject({ name: 'Site box', metadata: { rack: '2' } });
    expect(p.metadata).not.toHaveProperty('location');
    expect(() => reg.patch('box-1', {})).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(() => reg.get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('refuses bad registrations', () => {
    const { reg } = registry();
    for (const bad of [
      { ...speaker, device_id: 'a/b' },
      { ...speaker, device_id: 'devices/+/x' },
      { ...speaker, name: '' },
      { ...speaker, extra: 1 },
      {
        ...speaker,
        metadata: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])),
      },
    ])
      expect(() => reg.register(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
    expect(reg.list().total).toBe(0);
  });

  it('makes every gateway a device and decommissions removed ones', () => {
    const { reg } = registry();
    reg.register({ ...speaker, device_id: 'taken' });
    const first = reg.syncGateways([gw('gw-a', '2026-11-01T09:59:00Z'), gw('gw-b'), gw('taken')]);
    expect(first).toMatchObject({ added: ['gw-a', 'gw-b'], conflicts: ['taken'] });
    expect(reg.get('gw-a')).toMatchObject({
      source: 'gateway',
      gateway: 'gw-a',
      status: 'online',
      device_type: 'gateway',
    });
    expect(reg.get('gw-b').status).toBe('registered');
    const { auth_token } = reg.issue('gw-a');
    expect(reg.verify('gw-a', auth_token).device_id).toBe('gw-a');
    const second = reg.syncGateways([gw('gw-b')]);
    expect(second.decommissioned).toEqual(['gw-a']);
    expect(reg.get('gw-a').status).toBe('decommissioned');
    expect(() => reg.verify('gw-a', auth_token)).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
    expect(reg.idsOfType('gateway')).toEqual(['gw-b']);
  });
});
