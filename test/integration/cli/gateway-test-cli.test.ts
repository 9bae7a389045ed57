import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { rigger as run } from '../../helpers/cli';
import { freePort } from '../../helpers/ports';

describe('rigger gateway test, and gateway add testing first', () => {
  let sim: GatewaySim;
  let data: string;
  const rigger = (...args: string[]) => run('--data-dir', data, ...args);
  const names = async () =>
    (JSON.parse((await rigger('gateway', 'list', '--json')).out) as Array<{ name: string }>).map(
      (g) => g.name,
    );
  const at = () => ['--ssh', `${sim.user}@${sim.host}:${sim.port}`];
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount' });
    data = mkdtempSync(join(tmpdir(), 'rigger-cli-test-'));
  });
  afterAll(async () => sim?.stop());

  it('tests an unsaved gateway: a first key stops it, --accept-new-host-key logs in; nothing saved', async () => {
    const base = [...at(), '--key', sim.keyFile, '--profile', sim.profilePath, '--json'];
    const first = await rigger('gateway', 'test', ...base);
    expect(first.code).toBe(1);
    expect(JSON.parse(first.out)).toMatchObject({
      login: null,
      host_key: { fingerprint: sim.hostKeyFingerprint, state: 'new' },
      problem: { reason: 'host_key_new' },
    });
    const accepted = await rigger('gateway', 'test', ...base, '--accept-new-host-key');
    expect(accepted.code, accepted.err).toBe(0);
    expect(JSON.parse(accepted.out)).toMatchObject({
      ok: true,
      login: true,
      identity: { model: 'Univa-GW-Pro', version: 'v5.0.4' },
    });
    const human = await rigger('gateway', 'test', ...base.slice(0, -1), '--accept-new-host-key');
    expect(human.out).toContain(`host key:   ${sim.hostKeyFingerprint}`);
    expect(human.out).toMatch(/login:\s+worked/);
    expect(await names()).toEqual([]);
  });

  it('refuses to add a gateway whose key file is the .pub half, naming the file, saving nothing', async () => {
    const r = await rigger(
      'gateway',
      'add',
      'bad',
      ...at(),
      '--key',
      `${sim.keyFile}.pub`,
      '--profile',
      sim.profilePath,
      '--accept-new-host-key',
      '--json',
    );
    expect(r.code).toBe(1);
    const e = JSON.parse(r.err);
    expect(e).toMatchObject({
      code: 'AUTH_FAILED',
      details: { test: { problem: { reason: 'key_format' } } },
    });
    expect(e.suggested_actions.join(' ')).not.toMatch(/user name/i);
    expect(await names()).toEqual([]);
  });

  it('refuses an unreachable address unless --no-test', async () => {
    const port = await freePort();
    const args = [
      '--ssh',
      `root@127.0.0.1:${port}`,
      '--key',
      sim.keyFile,
      '--profile',
      sim.profilePath,
    ];
    const refused = await rigger('gateway', 'add', 'far', ...args, '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.err)).toMatchObject({
      code: 'HOST_UNREACHABLE',
      suggested_actions: expect.arrayContaining([expect.stringContaining('--no-test')]),
    });
    expect(await names()).toEqual([]);
    const saved = await rigger('gateway', 'add', 'far', ...args, '--no-test');
    expect(saved.code, saved.err).toBe(0);
    expect(saved.out).toContain('Not tested.');
    expect(await names()).toEqual(['far']);
  });

  it('adds after the test, pinning exactly the key it found; gateway test NAME then knows it', async () => {
    const r = await rigger(
      'gateway',
      'add',
      'sim',
      ...at(),
      '--key',
      sim.keyFile,
      '--profile',
      sim.profilePath,
      '--accept-new-host-key',
      '--json',
    );
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ host_key: { fingerprint: sim.hostKeyFingerprint } });
    const t = await rigger('gateway', 'test', 'sim', '--json');
    expect(t.code, t.err).toBe(0);
    expect(JSON.parse(t.out)).toMatchObject({ ok: true, host_key: { state: 'known' } });
  });
});
