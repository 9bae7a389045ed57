import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { debugSchema, logsSchema } from '../../../src/shared/monitor';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { addSimGateway } from '../../helpers/sim-gateway';

describe('logs and debug bundles over SSH, against the test gateway', () => {
  let sim: GatewaySim;
  let core: Core;
  const work = mkdtempSync(join(tmpdir(), 'rigger-mon-'));

  beforeAll(async () => {
    sim = await startGatewaySim();
    appendFileSync(
      join(sim.root, 'var', 'log', 'messages'),
      '2025-03-15T11:00:00Z gateway[1]: ERROR modbus timeout\n2025-03-15T12:00:00Z gateway[1]: WARN temperature high\n',
    );
    writeFileSync(
      join(sim.root, 'data', 'config', 'mqtt.conf'),
      'broker=192.0.2.20\nmqtt_password=hunter2-planted\n',
    );
    // A log path the gateway does not have: reported, the rest still returned.
    const profile = JSON.parse(readFileSync(sim.profilePath, 'utf8'));
    profile.log_paths.push('/var/log/no-such-rigger-log');
    writeFileSync(join(work, 'profile.json'), JSON.stringify(profile));
    core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
    await core.call('gateways.add', {
      name: 'gw',
      profile: join(work, 'profile.json'),
      connection: {
        type: 'ssh',
        host: sim.host,
        port: sim.port,
        user: sim.user,
        auth: { method: 'key', key_file: sim.keyFile },
      },
    });
    await core.call('gateways.pinHostKey', { name: 'gw', fingerprint: sim.hostKeyFingerprint });
  });
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
  });

  it("answers the seed's logs shape, merged with Rigger's own record, filtered by level and time", async () => {
    const all = await core.call('monitor.logs', { gateway: 'gw', limit: 1000 });
    expect(logsSchema.parse(all)).toEqual(all);
    expect(all.logs.some((l) => l.message.startsWith('Rigger: host_key.pin'))).toBe(true);
    expect(all.unreadable).toEqual([
      { path: '/var/log/no-such-rigger-log', reason: 'does not exist' },
    ]);
    const errors = await core.call('monitor.logs', { gateway: 'gw', level: 'error' });
    expect(errors.logs.map((l) => l.message)).toEqual(['gateway[1]: ERROR modbus timeout']);
    expect(errors.levels.error).toBe(1);
    const window = await core.call('monitor.logs', {
      gateway: 'gw',
      since: '2025-03-15 11:30:00',
      until: '2025-03-15 23:00:00',
    });
    expect(window.logs.map((l) => l.timestamp)).toEqual(['2025-03-15 12:00:00']);
  });

  it('captures a debug bundle whose listed members are all there, with the planted secret redacted', async () => {
    const r = await core.call('monitor.debug', {
      gateway: 'gw',
      output: join(work, 'bundle.tar.gz'),
    });
    expect(debugSchema.parse(r)).toEqual(r);
    const dir = join(work, 'unpacked');
    execFileSync('mkdir', ['-p', dir]);
    execFileSync('tar', ['-xzf', r.path, '-C', dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      members: Array<{ name: string; bytes: number }>;
    };
    for (const m of manifest.members)
      expect(readFileSync(join(dir, m.name)).length, m.name).toBe(m.bytes);
    const names = manifest.members.map((m) => m.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'system/bootloader_env.txt',
        'system/uname.txt',
        'rigger/history.json',
      ]),
    );
    const conf = names.find((n) => n.endsWith('mqtt.conf'))!;
    const text = readFileSync(join(dir, conf), 'utf8');
    expect(text).toContain('broker=192.0.2.20');
    expect(text).not.toContain('hunter2-planted');
    expect(execFileSync('tar', ['-xzOf', r.path]).toString()).not.toContain('hunter2-planted');
    expect(r.missing).toEqual(
      expect.arrayContaining([{ item: '/var/log/no-such-rigger-log', reason: 'does not exist' }]),
    );
  });

  it('honours the options: no logs, no config, uncompressed', async () => {
    const r = await core.call('monitor.debug', {
      gateway: 'gw',
      include_logs: false,
      include_config: false,
      compression: 'none',
    });
    expect(r.path.endsWith('.tar')).toBe(true);
    const list = execFileSync('tar', ['-tf', r.path]).toString();
    expect(list).not.toMatch(/^logs\//m);
    expect(list).not.toMatch(/^config\//m);
    expect(list).toMatch(/^system\/bootloader_env\.txt$/m);
  });
});

describe('debug bundle download in browser mode', () => {
  it('serves a bundle only with the token and only by its plain name', async () => {
    const sim = await startGatewaySim();
    const work = mkdtempSync(join(tmpdir(), 'rigger-mon-dl-'));
    const core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
    const { startServer } = await import('../../../src/main/core/server/server');
    const server = await startServer({ core });
    try {
      await addSimGateway(core, sim);
      const r = await core.call('monitor.debug', { gateway: 'gw' });
      const url = `${server.url.replace(/\/$/, '')}${r.download_url}`;
      expect((await fetch(url)).status).toBe(401);
      const ok = await fetch(url, { headers: { Authorization: `Bearer ${server.token}` } });
      expect(ok.status).toBe(200);
      expect(Buffer.from(await ok.arrayBuffer()).equals(readFileSync(r.path))).toBe(true);
      const sneaky = await fetch(
        `${server.url}cloud-integration/monitor/debug/download/..%2Frigger.db`,
        { headers: { Authorization: `Bearer ${server.token}` } },
      );
      expect(sneaky.status).toBe(404);
    } finally {
      await server.close();
      await core.close();
      await sim.stop();
    }
  });
});
