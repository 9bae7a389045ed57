import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from './index';
import { makeNodeFirmware } from './nodes';

/** Run a command on the sim through the real OpenSSH client, with `stdin`. */
function ssh(
  sim: GatewaySim,
  command: string,
  stdin: Buffer = Buffer.alloc(0),
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn('ssh', [
      ...['-i', sim.keyFile, '-p', String(sim.port), '-o', 'StrictHostKeyChecking=no'],
      ...['-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'BatchMode=yes'],
      `${sim.user}@${sim.host}`,
      command,
    ]);
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString()));
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
    p.stdin.on('error', () => undefined);
    p.stdin.end(stdin);
  });
}

describe('test gateway: nodes and plugins (contract sections 6 and 7)', () => {
  let sim: GatewaySim;
  const tool = (args: string, stdin?: Buffer) =>
    ssh(sim, `${sim.root}/sbin/gateway-nodes ${args}`, stdin);

  beforeAll(async () => {
    sim = await startGatewaySim({ contractToolsOnly: true, nodes: {}, plugins: {} });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('puts both sections in the profile', () => {
    expect(sim.profile).toMatchObject({
      plugins: { restart_command: expect.stringContaining('gateway-plugins restart') },
      nodes: { push_command: expect.stringContaining('{node_id}') },
    });
  });

  it('lists the nodes as JSON', async () => {
    const r = await tool('list');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(list.find((n) => n.node_id === 'LOAD0001')).toEqual({
      node_id: 'LOAD0001',
      name: 'Hoist load cell A',
      type: 'esp32-load-sensor',
      fw_version: '5.3.2',
      online: true,
    });
  });

  it('takes an image with progress, reboots into it and confirms it', async () => {
    const r = await tool('push LOAD0001', makeNodeFirmware('esp32-load-sensor', '5.3.3'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^progress 0\n[\s\S]*progress 100\n$/);
    const first = JSON.parse((await tool('status LOAD0001')).out) as Record<string, unknown>;
    expect(first).toMatchObject({
      state: 'rebooting',
      fw_version: '5.3.2',
      pending_version: '5.3.3',
    });
    const last = JSON.parse((await tool('status LOAD0001')).out) as Record<string, unknown>;
    expect(last).toMatchObject({ state: 'success', fw_version: '5.3.3' });
    expect(sim.nodes!.otadata('LOAD0001')).toMatchObject({ active: 1, slots: ['valid', 'valid'] });
  });

  it('rolls back a firmware that never confirms', async () => {
    expect((await tool('push LOAD0003', makeNodeFirmware('esp32-load-sensor', '5.3.3'))).code).toBe(
      0,
    );
    await tool('status LOAD0003');
    const st = JSON.parse((await tool('status LOAD0003')).out) as Record<string, unknown>;
    expect(st).toMatchObject({ state: 'failed', fw_version: '5.3.2' });
    expect(sim.nodes!.otadata('LOAD0003')).toMatchObject({
      active: 0,
      slots: ['valid', 'aborted'],
    });
  });

  it('refuses wrong types, rejecting nodes and offline nodes', async () => {
    const wrong = await tool('push WIND0001', makeNodeFirmware('esp32-load-sensor', '5.3.3'));
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(/esp32-load-sensor, this node is esp32-wind-sensor/);
    const rej = await tool('push LIMIT001', makeNodeFirmware('esp32-limit-switch', '2.0.2'));
    expect(rej.err).toMatch(/signature/);
    expect(JSON.parse((await tool('status LIMIT001')).out)).toMatchObject({ state: 'rejected' });
    sim.nodes!.setOnline('LOAD0002', false);
    const off = await tool('push LOAD0002', makeNodeFirmware('esp32-load-sensor', '5.3.3'));
    expect(off.err).toMatch(/offline/);
    sim.nodes!.setOnline('LOAD0002', true);
  });

  it('restarts a plugin, and fails the restart on request', async () => {
    const dir = (sim.profile.plugins as { dir: string }).dir;
    await ssh(sim, `mkdir -p ${dir}/zone/1.0.0 && cd ${dir}/zone && ln -s 1.0.0 current`);
    const ok = await ssh(sim, `${sim.root}/sbin/gateway-plugins restart zone`);
    expect(ok).toMatchObject({ code: 0, out: expect.stringContaining('zone 1.0.0 is running') });
    sim.plugins!.failRestart('zone', '1.0.0');
    const bad = await ssh(sim, `${sim.root}/sbin/gateway-plugins restart zone`);
    expect(bad.code).toBe(1);
    expect(sim.plugins!.restarts()).toEqual(['zone 1.0.0 ok', 'zone 1.0.0 failed']);
  });
});
