import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { addSimGateway } from '../../helpers/sim-gateway';

/** Secrets planted on the test gateway, each in another shape and member. */
const PLANTED = {
  log_pair: 'S3cr3tLogPlanted',
  log_token: 'abcd1234planted',
  json_camel: 'hunter6planted',
  yaml_spaces: 'correct horse planted',
  ini_psk: 'WifiPskPlanted',
  pem: 'MIIEPLANTEDPEMBODY',
  bearer: 'eyJplantedBearerToken.abc',
  env_psk: 'EnvPskPlanted55',
  ps_arg: 'PsArgPlanted77',
};

describe('debug bundles keep secrets out of every member', () => {
  let sim: GatewaySim;
  let core: Core;
  let proc: ChildProcess;
  const work = mkdtempSync(join(tmpdir(), 'rigger-dbgsec-'));

  beforeAll(async () => {
    sim = await startGatewaySim();
    appendFileSync(
      join(sim.root, 'var', 'log', 'messages'),
      `2025-03-15T11:00:00Z app[3]: login failed password=${PLANTED.log_pair} token=${PLANTED.log_token} user=ops\n` +
        `2025-03-15T11:00:01Z curl[4]: > Authorization: Bearer ${PLANTED.bearer}\n`,
    );
    const conf = join(sim.root, 'data', 'config');
    mkdirSync(conf, { recursive: true });
    writeFileSync(
      join(conf, 'mqtt.json'),
      `{"broker": "10.0.0.2", "mqttPassword": "${PLANTED.json_camel}"}\n`,
    );
    writeFileSync(
      join(conf, 'app.yaml'),
      `db:\n  host: db.local\n  Passwd: ${PLANTED.yaml_spaces}\n`,
    );
    writeFileSync(join(conf, 'wifi.ini'), `[wifi]\nSSID = crane\nPSK = ${PLANTED.ini_psk}\n`);
    writeFileSync(
      join(conf, 'tls.conf'),
      `-----BEGIN PRIVATE KEY-----\n${PLANTED.pem}\n-----END PRIVATE KEY-----\n`,
    );
    await sim.setEnv({ wifi_psk: PLANTED.env_psk });
    proc = spawn('sh', ['-c', 'sleep 120', `agent_token=${PLANTED.ps_arg}`], { stdio: 'ignore' });
    core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
    await addSimGateway(core, sim);
  });
  afterAll(async () => {
    proc?.kill();
    await core?.close();
    await sim?.stop();
  });

  it('redacts each planted shape, and the manifest counts what each file lost', async () => {
    const r = await core.call('monitor.debug', { gateway: 'gw' });
    const all = execFileSync('tar', ['-xzOf', r.path], { maxBuffer: 1 << 28 }).toString();
    expect(all).toContain('user=ops');
    for (const [shape, secret] of Object.entries(PLANTED)) expect(all, shape).not.toContain(secret);
    const dir = join(work, 'x');
    mkdirSync(dir);
    execFileSync('tar', ['-xzf', r.path, '-C', dir]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      members: Array<{ name: string; redacted: number }>;
    };
    const lost = (end: string) => manifest.members.find((m) => m.name.endsWith(end))?.redacted;
    expect(lost('var/log/messages')).toBe(3);
    expect(lost('mqtt.json')).toBe(1);
    expect(lost('wifi.ini')).toBe(1);
    expect(lost('system/bootloader_env.txt')).toBeGreaterThanOrEqual(1);
    expect(lost('system/processes.txt')).toBeGreaterThanOrEqual(1);
    expect(statSync(r.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(r.path)).mode & 0o777).toBe(0o700);
  });

  it('a REST or IPC caller cannot name the file it is written to', async () => {
    const target = join(work, 'overwrite-me');
    writeFileSync(target, 'precious');
    await expect(
      core.callUntrusted('monitor.debug', { gateway: 'gw', output: target }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: { field: 'output' } });
    expect(readFileSync(target, 'utf8')).toBe('precious');
    const r = (await core.callUntrusted('monitor.debug', { gateway: 'gw' })) as { path: string };
    expect(r.path.startsWith(join(work, 'data'))).toBe(true);
  });
});
