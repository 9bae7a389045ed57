import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { gatewayStatusSchema } from '../../../src/shared/status';
import { startGatewaySim, type GatewaySim, type SchemeName } from '../../gateway-sim';

/** A fresh core in a temporary data directory, with the sim gateway registered as "gw". */
async function coreWith(
  sim: GatewaySim,
  over: { keyFile?: string; port?: number } = {},
): Promise<Core> {
  const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-it-')), mode: 'test' });
  await core.call('gateways.add', {
    name: 'gw',
    profile: sim.profilePath,
    connection: {
      type: 'ssh',
      host: sim.host,
      port: over.port ?? sim.port,
      user: sim.user,
      auth: { method: 'key', key_file: over.keyFile ?? sim.keyFile },
    },
  });
  return core;
}

const cores: Core[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()));
});
const track = (c: Core) => (cores.push(c), c);

describe.each<SchemeName>(['bootcount', 'rauc', 'mender'])(
  'status over SSH, %s scheme',
  (scheme) => {
    let sim: GatewaySim;
    beforeAll(async () => {
      sim = await startGatewaySim({ scheme, booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    });
    afterAll(async () => sim?.stop());

    it('reads slot A booted with both versions and the boot state', async () => {
      const core = track(await coreWith(sim));
      const s = await core.gateways.status('gw', 'accept-new');
      expect(gatewayStatusSchema.parse(s)).toEqual(s);
      expect(s.partitions.active).toMatchObject({
        id: 'A',
        version: 'v5.0.4',
        status: 'healthy',
        health: 'good',
        next_boot: true,
      });
      expect(s.partitions.inactive).toMatchObject({
        id: 'B',
        version: 'v5.0.3',
        status: 'ready',
        next_boot: false,
      });
      expect(s.gateway).toMatchObject({
        model: 'Univa-GW-Pro',
        hardware_revision: 'RevB',
        os_version: 'v5.0.4',
      });
      expect(s.gateway.kernel).toBeTruthy();
      expect(s.boot).toMatchObject({ scheme, booted_slot: 'A', next_slot: 'A', consistent: true });
      expect(s.warnings).toEqual([]);
      expect(s.partitions.rollback_retries).toBe(3);
    });

    it('reads slot B after a try-boot of B and the bootloader booting it', async () => {
      const before = await sim.env();
      const { schemeFor } = await import('../../../src/main/core/bootloader/scheme');
      const { profileSchema } = await import('../../../src/shared/profile');
      const profile = profileSchema.parse(sim.profile);
      await sim.setEnv(schemeFor(profile).tryBoot('B', profile));
      await sim.reboot();
      const core = track(await coreWith(sim));
      const s = await core.gateways.status('gw', 'accept-new');
      expect(s.partitions.active).toMatchObject({ id: 'B', version: 'v5.0.3' });
      expect(s.partitions.inactive).toMatchObject({ id: 'A', version: 'v5.0.4' });
      expect(s.boot?.booted_slot).toBe('B');
      expect(s.boot?.upgrade_pending).toBe(true);
      expect(s.partitions.active.status).toBe('trying');
      // Put the gateway back as it was for the next test.
      await sim.setEnv(before);
      await sim.reboot();
    });
  },
);

describe('status over SSH: refusals and faults', () => {
  let sim: GatewaySim;
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount' });
  });
  afterAll(async () => sim?.stop());

  it('refuses a first host key without consent, and pins it with consent', async () => {
    const core = track(await coreWith(sim));
    await expect(core.call('gateways.status', { name: 'gw' })).rejects.toMatchObject({
      code: 'HOST_KEY_UNKNOWN',
      details: { offered_fingerprint: sim.hostKeyFingerprint },
    });
    expect((await core.call('gateways.get', { name: 'gw' })).host_key).toBeNull();
    const pinned = await core.call('gateways.pinHostKey', {
      name: 'gw',
      fingerprint: sim.hostKeyFingerprint,
    });
    expect(pinned.host_key?.fingerprint).toBe(sim.hostKeyFingerprint);
    const s = await core.call('gateways.status', { name: 'gw' });
    expect(s.partitions.active.id).toBe('A');
  });

  it('refuses to pin a fingerprint the gateway does not offer', async () => {
    const core = track(await coreWith(sim));
    await expect(
      core.call('gateways.pinHostKey', {
        name: 'gw',
        fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      }),
    ).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
    expect((await core.call('gateways.get', { name: 'gw' })).host_key).toBeNull();
  });

  it('refuses a wrong key', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rigger-key-'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(other, 'id')]);
    const core = track(await coreWith(sim, { keyFile: join(other, 'id') }));
    await expect(core.gateways.status('gw', 'accept-new')).rejects.toMatchObject({
      code: 'AUTH_FAILED',
    });
    rmSync(other, { recursive: true, force: true });
  });

  it('a key file in the wrong format is reported as the file, not as the user name', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rigger-key-'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(other, 'id')]);
    // The public half, picked by mistake.
    const core = track(await coreWith(sim, { keyFile: join(other, 'id.pub') }));
    const err = (await core.gateways.status('gw', 'accept-new').catch((e: unknown) => e)) as {
      code: string;
      message: string;
      suggestedActions: string[];
    };
    expect(err.code).toBe('AUTH_FAILED');
    expect(err.message).toMatch(/is not a usable private key/);
    expect(err.suggestedActions.join(' ')).toMatch(/private key file .*not the \.pub/);
    expect(err.suggestedActions.join(' ')).not.toMatch(/user name/);
    rmSync(other, { recursive: true, force: true });
  });

  it('names host and port when nothing answers', async () => {
    const net = await import('node:net');
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const core = track(await coreWith(sim, { port }));
    await expect(core.gateways.status('gw', 'accept-new')).rejects.toMatchObject({
      code: 'HOST_UNREACHABLE',
      message: expect.stringContaining(`127.0.0.1 port ${port}`),
    });
  });

  it('warns about a slot device missing on the gateway', async () => {
    const core = track(await coreWith(sim));
    const { renameSync } = await import('node:fs');
    const device = (sim.profile as { slots: { B: { device: string } } }).slots.B.device;
    renameSync(device, `${device}.away`);
    try {
      const s = await core.gateways.status('gw', 'accept-new');
      expect(s.boot?.consistent).toBe(false);
      expect(s.warnings.join('\n')).toContain(`${device} does not exist`);
    } finally {
      renameSync(`${device}.away`, device);
    }
  });

  // Last: it replaces the sim's host key for good.
  it('refuses a changed host key, showing both fingerprints', async () => {
    const core = track(await coreWith(sim));
    await core.gateways.status('gw', 'accept-new');
    const old = sim.hostKeyFingerprint;
    const fresh = await sim.regenerateHostKey();
    await core.close();
    const again = track(createCore({ dataDir: core.info.data_dir, mode: 'test' }));
    await expect(again.gateways.status('gw', 'accept-new')).rejects.toMatchObject({
      code: 'HOST_KEY_CHANGED',
      details: { stored_fingerprint: old, offered_fingerprint: fresh },
    });
  });
});
