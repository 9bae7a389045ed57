import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';

// The sim offers password login for a throwaway user (a uid-0 alias, as a gateway's maintenance
// login is) that exists only inside its sshd's mount namespace (test/gateway-sim/sshd.ts): the
// machine's users and root's password are never changed.
const USER = 'rigger-pw-test';
// Fresh for every run: the login lives only while the test's sshd does.
const PASSWORD = `Crane-7 ${randomBytes(12).toString('base64')}`;

describe('SSH login by password against the real sshd of the test gateway', () => {
  let sim: GatewaySim;
  const cores: Core[] = [];
  beforeAll(async () => {
    sim = await startGatewaySim({
      scheme: 'bootcount',
      passwordUser: { name: USER, password: PASSWORD },
    });
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
    delete process.env.RIGGER_TEST_PW;
  });
  afterAll(async () => sim?.stop());

  /** A core with the sim registered as "gw", logging in as USER with the password from $RIGGER_TEST_PW. */
  async function coreWithPassword(password: string): Promise<Core> {
    const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-pw-')), mode: 'test' });
    cores.push(core);
    process.env.RIGGER_TEST_PW = password;
    await core.call('gateways.add', {
      name: 'gw',
      profile: sim.profilePath,
      connection: {
        type: 'ssh',
        host: sim.host,
        port: sim.port,
        user: USER,
        auth: { method: 'password-env', password_env: 'RIGGER_TEST_PW' },
      },
    });
    return core;
  }

  it("the user exists only for the sim: not in this machine's /etc/passwd", () => {
    expect(sim.passwordUser).toBe(USER);
    expect(readFileSync('/etc/passwd', 'utf8')).not.toContain(`${USER}:`);
  });

  it('logs in with the right password and reads the real status as that user', async () => {
    const core = await coreWithPassword(PASSWORD);
    const s = await core.gateways.status('gw', 'accept-new');
    expect(s.connection.target).toBe(`${USER}@${sim.host}:${sim.port}`);
    expect(s.partitions.active).toMatchObject({ id: 'A', version: 'v5.0.4', health: 'good' });
    expect(s.partitions.inactive).toMatchObject({ id: 'B', version: 'v5.0.3' });
    expect(s.boot).toMatchObject({ booted_slot: 'A', next_slot: 'A', consistent: true });
    expect(s.warnings).toEqual([]);
  });

  it('refuses a wrong password with AUTH_FAILED naming the user', async () => {
    const core = await coreWithPassword('not the password');
    await expect(core.gateways.status('gw', 'accept-new')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringContaining(`"${USER}"`),
      details: { host: sim.host, port: sim.port, user: USER },
    });
  });

  it('refuses password login for the key-only user (root)', async () => {
    const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-pw-')), mode: 'test' });
    cores.push(core);
    process.env.RIGGER_TEST_PW = PASSWORD;
    await core.call('gateways.add', {
      name: 'gw',
      profile: sim.profilePath,
      connection: {
        type: 'ssh',
        host: sim.host,
        port: sim.port,
        user: sim.user,
        auth: { method: 'password-env', password_env: 'RIGGER_TEST_PW' },
      },
    });
    await expect(core.gateways.status('gw', 'accept-new')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
  });
});
