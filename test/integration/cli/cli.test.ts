import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { CLI, rigger as run, TSX } from '../../helpers/cli';

/** The CLI with this test's data directory. */
const rigger = (dataDir: string, ...args: string[]) => run('--data-dir', dataDir, ...args);

describe('rigger CLI against the test gateway', () => {
  let sim: GatewaySim;
  let data: string;
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'mender', booted: 'B' });
    data = mkdtempSync(join(tmpdir(), 'rigger-cli-'));
  });
  afterAll(async () => sim?.stop());

  it('adds, lists and refuses a duplicate with its code on stderr and nothing on stdout', async () => {
    const add = await rigger(
      data,
      'gateway',
      'add',
      'sim',
      '--ssh',
      `${sim.user}@${sim.host}:${sim.port}`,
      '--key',
      sim.keyFile,
      '--profile',
      sim.profilePath,
      '--json',
    );
    expect(add.code).toBe(0);
    expect(JSON.parse(add.out)).toMatchObject({ name: 'sim', connection: { port: sim.port } });
    const list = await rigger(data, 'gateway', 'list', '--json');
    expect(JSON.parse(list.out).map((g: { name: string }) => g.name)).toEqual(['sim']);
    const dup = await rigger(
      data,
      'gateway',
      'add',
      'sim',
      '--ssh',
      'root@10.0.0.1',
      '--key',
      sim.keyFile,
      '--profile',
      'univa-gw-pro',
      '--json',
    );
    expect(dup.code).toBe(1);
    expect(dup.out).toBe('');
    expect(JSON.parse(dup.err)).toMatchObject({ error: true, code: 'ALREADY_EXISTS' });
  });

  it('refuses a first host key without --accept-new-host-key when not interactive', async () => {
    const r = await rigger(data, 'status', 'sim', '--json');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(JSON.parse(r.err)).toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      details: { offered_fingerprint: sim.hostKeyFingerprint },
    });
  });

  it("prints the seed's status shape and nothing else with --json", async () => {
    const r = await rigger(data, 'status', 'sim', '--json', '--accept-new-host-key');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.partitions.active).toMatchObject({ id: 'B', version: 'v5.0.3' });
    expect(s.partitions.inactive).toMatchObject({ id: 'A', version: 'v5.0.4' });
    expect(s.boot).toMatchObject({ scheme: 'mender', booted_slot: 'B' });
    const human = await rigger(data, 'status', 'sim');
    expect(human.out).toMatch(/B BOOTED\s+v5\.0\.3/);
  });

  it('says what is wrong for bad input: unknown profile, missing key, bad address, usage', async () => {
    const prof = await rigger(
      data,
      'gateway',
      'add',
      'x',
      '--ssh',
      'root@h',
      '--key',
      sim.keyFile,
      '--profile',
      'no-such',
    );
    expect(prof.code).toBe(1);
    expect(prof.err).toMatch(/No profile named "no-such"/);
    const key = await rigger(
      data,
      'gateway',
      'add',
      'x',
      '--ssh',
      'root@h',
      '--key',
      '/no/key',
      '--profile',
      'univa-gw-pro',
    );
    expect(key.err).toMatch(/Key file \/no\/key does not exist/);
    const both = await rigger(
      data,
      'gateway',
      'add',
      'x',
      '--ssh',
      'root@h',
      '--key',
      sim.keyFile,
      '--password-env',
      'PW',
      '--profile',
      'univa-gw-pro',
    );
    expect(both.err).toMatch(/exactly one of --key FILE or --password-env VAR/);
    const addr = await rigger(
      data,
      'gateway',
      'add',
      'x',
      '--ssh',
      'h',
      '--key',
      sim.keyFile,
      '--profile',
      'univa-gw-pro',
    );
    expect(addr.err).toMatch(/USER@HOST\[:PORT\]/);
    expect((await rigger(data, 'frobnicate')).code).toBe(2);
  });

  it('refuses a data directory that cannot be written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rigger-f-')), 'file');
    writeFileSync(file, '');
    const r = await rigger(join(file, 'sub'), 'gateway', 'list', '--json');
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.err)).toMatchObject({ code: 'DATA_DIR_UNWRITABLE' });
  });

  it('reads a password from the environment variable it names, and says when it is unset', async () => {
    await rigger(
      data,
      'gateway',
      'add',
      'pw',
      '--ssh',
      `${sim.user}@${sim.host}:${sim.port}`,
      '--password-env',
      'RIGGER_TEST_PW_UNSET',
      '--profile',
      sim.profilePath,
      // The test at add time would stop at the unset variable; this is about later commands.
      '--no-test',
    );
    const r = await rigger(data, 'status', 'pw', '--json', '--accept-new-host-key');
    expect(JSON.parse(r.err)).toMatchObject({
      code: 'SECRET_UNAVAILABLE',
      details: { variable: 'RIGGER_TEST_PW_UNSET' },
    });
  });

  it('removes a gateway', async () => {
    expect((await rigger(data, 'gateway', 'remove', 'pw')).code).toBe(0);
    expect((await rigger(data, 'gateway', 'remove', 'pw', '--json')).code).toBe(1);
  });

  it('serves browser mode on 127.0.0.1 and prints a URL that answers with its token', async () => {
    const p = spawn(TSX, [CLI, '--data-dir', data, 'serve', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve) =>
        p.stdout.on('data', (d) => resolve(String(d))),
      );
      const { url, token } = JSON.parse(line);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const res = await fetch(`${url}api/call/gateways.list`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(((await res.json()) as Array<{ name: string }>).map((g) => g.name)).toEqual(['sim']);
    } finally {
      p.kill('SIGTERM');
    }
  });
});
