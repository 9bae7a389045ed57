import { closeSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { schemeFor } from '../../../src/main/core/bootloader/scheme';
import { createCore, type Core } from '../../../src/main/core/core';
import { gatherFacts, parseSlotSize } from '../../../src/main/core/gateways/facts';
import { connectSsh } from '../../../src/main/core/gateways/ssh-session';
import { profileSchema, type Profile } from '../../../src/shared/profile';
import { gatewayStatusSchema, type GatewayStatus } from '../../../src/shared/status';
import {
  CONTRACT_TOOLS,
  startGatewaySim,
  type GatewaySim,
  type SimOptions,
} from '../../gateway-sim';

// "Any gateway that follows GATEWAY-CONTRACT.md": the test gateway with nothing in PATH but the
// contract's tools (BusyBox applets; no wc, basename, sleep), for each scheme and with renamed
// bootloader variables. Rigger's status must give the right values there, not just no crash.

const SLOT_SIZE = 40 * 1024 * 1024 + 3 * 512; // not a round number: sizes must be exact

interface Case {
  title: string;
  opts: SimOptions;
}
const CASES: Case[] = [
  { title: 'bootcount', opts: { scheme: 'bootcount' } },
  { title: 'rauc', opts: { scheme: 'rauc' } },
  { title: 'mender', opts: { scheme: 'mender' } },
  {
    title: 'bootcount, renamed variables',
    opts: {
      scheme: 'bootcount',
      vars: {
        slot: 'sys_slot',
        upgrade: 'trial_pending',
        count: 'trial_boots',
        limit: 'trial_max',
      },
    },
  },
  {
    title: 'mender, renamed variables',
    opts: {
      scheme: 'mender',
      vars: { slot: 'root_part', upgrade: 'upgrade_pending', count: 'boot_tries' },
    },
  },
];

/** The kernel's default route, as the status reads it, from this machine (the sim's kernel). */
function hostNetwork(): string {
  const lines = readFileSync('/proc/net/route', 'utf8').split('\n').slice(1);
  return lines.some((l) => l.trim().split(/\s+/)[1] === '00000000') ? 'connected' : 'no_route';
}

/** Zero a slot's image header: its kernel "panics", so the bootloader must fall back. */
function breakSlot(sim: GatewaySim, slot: 'A' | 'B'): void {
  const device = (sim.profile as { slots: Record<string, { device: string }> }).slots[slot]!.device;
  const fd = openSync(device, 'r+');
  writeSync(fd, Buffer.alloc(512), 0, 512, 0);
  closeSync(fd);
}

describe('the test gateway with only the contract tools', () => {
  it('offers exactly the contract tools in PATH (no wc, basename, sleep)', async () => {
    const sim = await startGatewaySim({ contractToolsOnly: true });
    try {
      const bin = join(sim.root, 'bin');
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(bin).sort()).toEqual(
        [...CONTRACT_TOOLS, 'fw_printenv', 'fw_setenv', 'reboot'].sort(),
      );
    } finally {
      await sim.stop();
    }
  });
});

describe.each(CASES)('status on a contract-only gateway: $title', ({ opts }) => {
  let sim: GatewaySim;
  let profile: Profile;
  const cores: Core[] = [];
  beforeAll(async () => {
    sim = await startGatewaySim({
      ...opts,
      contractToolsOnly: true,
      slotSize: SLOT_SIZE,
      versions: { A: 'v5.0.4', B: 'v5.0.3' },
    });
    profile = profileSchema.parse(sim.profile);
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
  });
  afterAll(async () => sim?.stop());

  async function status(): Promise<GatewayStatus> {
    const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-it-')), mode: 'test' });
    cores.push(core);
    await core.call('gateways.add', {
      name: 'gw',
      profile: sim.profilePath,
      connection: {
        type: 'ssh',
        host: sim.host,
        port: sim.port,
        user: sim.user,
        auth: { method: 'key', key_file: sim.keyFile },
      },
    });
    const s = await core.gateways.status('gw', 'accept-new');
    expect(gatewayStatusSchema.parse(s)).toEqual(s);
    return s;
  }

  it('reads exact slot sizes without wc or basename', async () => {
    const session = await connectSsh(
      { host: sim.host, port: sim.port, user: sim.user, privateKeyFile: sim.keyFile },
      { pinned: { fingerprint: sim.hostKeyFingerprint }, acceptNew: false },
      { connectTimeoutMs: 10_000, commandTimeoutMs: 30_000 },
    );
    try {
      const facts = await gatherFacts(session, profile);
      expect(facts.size_A?.rc).toBe(0);
      expect(parseSlotSize(facts.size_A!.out)).toBe(SLOT_SIZE);
      expect(parseSlotSize(facts.size_B!.out)).toBe(SLOT_SIZE);
      // Read through tar's listing: the gateway has no wc.
      expect(facts.size_A!.out).toMatch(/^-\S+\s+\S+\s+\d+\s/);
      // Without sleep, the CPU section fails rather than measuring over no time at all.
      expect(facts.cpu?.rc).not.toBe(0);
    } finally {
      await session.close();
    }
  });

  it('gives the right identity, slots, boot state and system figures', async () => {
    const s = await status();
    expect(s.warnings).toEqual([]);
    expect(s.gateway).toMatchObject({
      id: 'univa-gw-sim-01',
      name: 'Univa-GW-Sim-01',
      model: 'Univa-GW-Pro',
      os_version: 'v5.0.4',
      kernel: release(),
      bootloader: 'U-Boot 2024.01',
      last_ota: '2025-03-01 12:00:00',
      serial_number: 'GW2025-SIM0001',
      hardware_revision: 'RevB',
    });
    expect(s.gateway.uptime).toMatch(/^(\d+d )?(\d+h )?\d+m$/);
    expect(s.partitions.active).toEqual({
      id: 'A',
      version: 'v5.0.4',
      status: 'healthy',
      boot_count: 0,
      next_boot: true,
      size: '41.9MB',
      used: '1.05MB',
      health: 'good',
    });
    expect(s.partitions.inactive).toEqual({
      id: 'B',
      version: 'v5.0.3',
      status: 'ready',
      boot_count: null,
      next_boot: false,
      size: '41.9MB',
      used: '1.05MB',
      health: null,
    });
    expect(s.partitions).toMatchObject({
      auto_rollback: true,
      rollback_retries: 3,
      rollback_count: 0,
    });
    expect(s.boot).toMatchObject({
      scheme: profile.bootloader.scheme,
      booted_slot: 'A',
      next_slot: 'A',
      upgrade_pending: false,
      consistent: true,
    });
    for (const name of Object.values(opts.vars ?? {})) expect(s.boot?.env).toHaveProperty(name);
    expect(s.system.memory_usage).toBeGreaterThan(0);
    expect(s.system.memory_usage).toBeLessThanOrEqual(100);
    expect(s.system.disk_usage).toBeGreaterThan(0);
    expect(s.system.network_status).toBe(hostNetwork());
    // The only figure lost: the contract has no sleep to time two CPU samples.
    expect(s.system.cpu_usage).toBeNull();
  });

  it('reads a trial of B booted by the bootloader: trying, one try spent', async () => {
    const before = await sim.env();
    await sim.setEnv(schemeFor(profile).tryBoot('B', profile));
    await sim.reboot();
    const s = await status();
    expect(s.partitions.active).toMatchObject({
      id: 'B',
      version: 'v5.0.3',
      status: 'trying',
      next_boot: true,
    });
    expect(s.partitions.inactive).toMatchObject({ id: 'A', version: 'v5.0.4', next_boot: false });
    expect(s.boot).toMatchObject({ booted_slot: 'B', upgrade_pending: true, consistent: true });
    expect(s.partitions).toMatchObject({ rollback_retries: 3, rollback_count: 1 });
    await sim.setEnv(before);
    await sim.reboot();
    expect((await status()).partitions.active.id).toBe('A');
  });

  it('reads a trial that failed and fell back: back on A, every try spent', async () => {
    breakSlot(sim, 'B');
    await sim.setEnv(schemeFor(profile).tryBoot('B', profile));
    await sim.reboot();
    const s = await status();
    expect(s.partitions.active).toMatchObject({ id: 'A', version: 'v5.0.4', next_boot: true });
    expect(s.boot).toMatchObject({ booted_slot: 'A', next_slot: 'A' });
    expect(s.partitions).toMatchObject({ rollback_retries: 3, rollback_count: 3 });
  });
});
