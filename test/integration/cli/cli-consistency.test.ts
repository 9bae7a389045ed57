import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/core';
import { memorySecretStore } from '../../../src/main/core/secrets';
import { jobName } from '../../../src/shared/format/job-name';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { opensslEd25519 } from '../../helpers/bundles';
import { rigger as run } from '../../helpers/cli';
import { simBundle } from '../ota/setup';

describe('a consistent CLI against the test gateway', () => {
  let sim: GatewaySim;
  let work: string;
  let data: string;
  let image: { id: string; path: string };
  const rigger = (...args: string[]) => run('--data-dir', data, ...args);
  const err = (r: { err: string }) =>
    JSON.parse(r.err) as { code: string; message: string; suggested_actions: string[] };

  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'rauc', booted: 'A' });
    work = mkdtempSync(join(tmpdir(), 'rigger-cli-consistent-'));
    data = join(work, 'data');
    const vendor = opensslEd25519(work);
    expect((await rigger('keys', 'add', vendor.pub)).code).toBe(0);
    const add = await rigger(
      'gateway',
      'add',
      'gw',
      '--ssh',
      `${sim.user}@${sim.host}:${sim.port}`,
      '--key',
      sim.keyFile,
      '--profile',
      sim.profilePath,
    );
    expect(add.code, add.err).toBe(0);
    image = simBundle(work, vendor, 'v6.1.0', { size: 2 * 1024 * 1024 });
    expect((await rigger('images', 'import', image.path)).code).toBe(0);
  });
  afterAll(async () => sim?.stop());

  it('refuses a bad option before connecting: nothing changes, not even the host key', async () => {
    const bad = await rigger(
      'flash',
      'gw',
      '--image',
      image.id,
      '--slot',
      'C',
      '--accept-new-host-key',
      '--json',
    );
    expect(err(bad)).toMatchObject({ code: 'VALIDATION_ERROR' });
    const [g] = JSON.parse((await rigger('gateway', 'list', '--json')).out) as Array<{
      host_key: unknown;
    }>;
    expect(g!.host_key).toBeNull();
    expect(JSON.parse((await rigger('jobs', '--json')).out).jobs).toEqual([]);
  });

  it('takes --accept-new-host-key on a command other than status, as its error says', async () => {
    const refused = await rigger('updates', 'check', 'gw', '--json');
    expect(refused.code).toBe(1);
    expect(err(refused).code).toBe('HOST_KEY_UNKNOWN');
    expect(err(refused).suggested_actions.join(' ')).toContain('--accept-new-host-key');
    const ok = await rigger('updates', 'check', 'gw', '--json', '--accept-new-host-key');
    expect(ok.code, ok.err).toBe(0);
    const [g] = JSON.parse((await rigger('gateway', 'list', '--json')).out) as Array<{
      host_key: { fingerprint: string } | null;
    }>;
    expect(g!.host_key?.fingerprint).toBe(sim.hostKeyFingerprint);
    const logs = await rigger('logs', 'gw', '--limit', '5', '--json', '--accept-new-host-key');
    expect(logs.code, logs.err).toBe(0);
  });

  it('validates options with the usual clear error, slots in any case', async () => {
    const c = await rigger('flash', 'gw', '--image', image.id, '--slot', 'C', '--json');
    expect(c.code).toBe(1);
    expect(err(c)).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(err(c).message).toMatch(/--slot takes A or B, not "C"/);
    const back = await rigger('rollback', 'gw', '--reason', 'test', '--slot', 'x', '--json');
    expect(err(back).code).toBe('VALIDATION_ERROR');
    const delay = await rigger(
      'flash',
      'gw',
      '--image',
      image.id,
      '--reboot-delay',
      'soon',
      '--json',
    );
    expect(err(delay)).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(err(delay).message).toContain('--reboot-delay');
  });

  it('says which path a write would take before it, and why', async () => {
    const human = await rigger(
      'updates',
      'plan',
      'gw',
      '--image',
      image.id,
      '--slot',
      'b',
      '--accept-new-host-key',
    );
    expect(human.code, human.err).toBe(0);
    expect(human.out).toMatch(/^Path: +full write/m);
    expect(human.out).toMatch(/^No delta: slot B: .*; slot A: /m);
    const json = await rigger('updates', 'plan', 'gw', '--image', image.id, '--json');
    expect(JSON.parse(json.out)).toMatchObject({ target_partition: 'B', delta: null });
  });

  it('flashes with --slot b and ends by naming the version and the slot', async () => {
    const r = await rigger(
      'flash',
      'gw',
      '--image',
      image.id,
      '--slot',
      'b',
      '--reboot-delay',
      '0',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('v6.1.0 is installed in slot B of gw');
    expect(r.err).not.toMatch(/INTERNAL/);
    // The way the job chose is said before it writes.
    expect(r.err).toMatch(/^Plan: (raw|gzip): /m);
    // The job has the name the Jobs page gives it (the same shared function).
    const { jobs } = JSON.parse((await rigger('jobs', '--json')).out) as {
      jobs: Array<Parameters<typeof jobName>[0] & { id: string }>;
    };
    const human = (await rigger('jobs')).out;
    expect(human).toContain(jobName(jobs[0]!));
    expect(jobName(jobs[0]!)).toContain('v6.1.0');
  });

  it('keeps the gateway list in columns with a long profile path', async () => {
    const deep = join(work, 'a-rather-long-folder-name', 'of-gateway-profiles', 'for-the-quay');
    mkdirSync(deep, { recursive: true });
    copyFileSync(sim.profilePath, join(deep, 'sts-crane-7.json'));
    const add = await rigger(
      'gateway',
      'add',
      'crane-7',
      '--ssh',
      'root@10.0.0.7',
      '--key',
      sim.keyFile,
      '--profile',
      join(deep, 'sts-crane-7.json'),
      // An address of no machine here: saved without the connection test.
      '--no-test',
    );
    expect(add.code, add.err).toBe(0);
    const lines = (await rigger('gateway', 'list')).out.trimEnd().split('\n');
    const at = lines[0]!.indexOf('LAST SEEN');
    expect(at).toBeGreaterThan(0);
    for (const line of lines.slice(1)) {
      expect(line[at - 1]).toBe(' ');
      expect(line[at]).not.toBe(' ');
    }
    expect(lines.join('\n')).toContain(join(deep, 'sts-crane-7.json'));
  });

  it('a gateway whose password was typed in the app: status says how the CLI can log in', async () => {
    const core = createCore({ dataDir: data, mode: 'browser', secrets: memorySecretStore() });
    await core.call('gateways.add', {
      name: 'typed',
      profile: sim.profilePath,
      connection: {
        type: 'ssh',
        host: sim.host,
        port: sim.port,
        user: sim.user,
        auth: { method: 'password', password: 'typed-in-the-app' },
      },
    });
    await core.close();
    const r = await rigger('status', 'typed', '--json', '--accept-new-host-key');
    expect(r.code).toBe(1);
    expect(err(r).code).toBe('SECRET_UNAVAILABLE');
    expect(err(r).suggested_actions.join('\n')).toContain(
      'rigger gateway edit typed --password-env VAR',
    );
    // The other way it names works: a key for the command line.
    const edit = await rigger('gateway', 'edit', 'typed', '--key', sim.keyFile, '--json');
    expect(edit.code, edit.err).toBe(0);
    expect(JSON.parse(edit.out)).toMatchObject({ connection: { auth: { method: 'key' } } });
    const ok = await rigger('status', 'typed', '--json', '--accept-new-host-key');
    expect(ok.code, ok.err).toBe(0);
    const env = await rigger('gateway', 'edit', 'typed', '--password-env', 'GW_PW', '--json');
    expect(JSON.parse(env.out)).toMatchObject({
      connection: { auth: { method: 'password-env', password_env: 'GW_PW' } },
    });
  });
});
