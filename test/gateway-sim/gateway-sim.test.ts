import { execFile } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim, type SchemeName } from './index';

const run = promisify(execFile);

/** Run a command on the sim through the real OpenSSH client. */
async function ssh(sim: GatewaySim, command: string): Promise<string> {
  const { stdout } = await run('ssh', [
    '-i',
    sim.keyFile,
    '-p',
    String(sim.port),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'BatchMode=yes',
    `${sim.user}@${sim.host}`,
    command,
  ]);
  return stdout;
}

const booted = (sim: GatewaySim) => {
  const cmdline = readFileSync(join(sim.root, 'proc', 'cmdline'), 'utf8');
  return cmdline.includes('mmcblk0p2') ? 'A' : cmdline.includes('mmcblk0p3') ? 'B' : null;
};
const version = (sim: GatewaySim) =>
  /VERSION_ID=(\S+)/.exec(readFileSync(join(sim.root, 'etc', 'os-release'), 'utf8'))?.[1];

/**
 * The booted system as one reader sees it at one moment: the files of the boot generation
 * `run/boot/current` names (a reboot renames a new one over it and removes the old one; a
 * generation removed while it was read is looked at again).
 */
function look(sim: GatewaySim): { slot: string | null; version?: string; bootId: string } {
  for (;;) {
    const gen = join(
      sim.root,
      'run',
      'boot',
      readlinkSync(join(sim.root, 'run', 'boot', 'current')),
    );
    try {
      const cmdline = readFileSync(join(gen, 'cmdline'), 'utf8');
      return {
        slot: cmdline.includes('mmcblk0p2') ? 'A' : cmdline.includes('mmcblk0p3') ? 'B' : null,
        version: /VERSION_ID=(\S+)/.exec(readFileSync(join(gen, 'os-release'), 'utf8'))?.[1],
        bootId: readFileSync(join(gen, 'boot_id'), 'utf8'),
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}

const tryBoot: Record<SchemeName, (s: 'A' | 'B') => Record<string, string>> = {
  bootcount: (s) => ({ boot_slot: s, upgrade_available: '1', bootcount: '0' }),
  rauc: (s) => ({ BOOT_ORDER: `${s} ${s === 'A' ? 'B' : 'A'}`, [`BOOT_${s}_LEFT`]: '3' }),
  mender: (s) => ({
    mender_boot_part: s === 'A' ? '2' : '3',
    mender_boot_part_hex: s === 'A' ? '2' : '3',
    upgrade_available: '1',
    bootcount: '0',
  }),
};

describe.each<SchemeName>(['bootcount', 'rauc', 'mender'])('test gateway, %s scheme', (scheme) => {
  let sim: GatewaySim;
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme });
  });
  afterAll(async () => sim?.stop());

  it('boots slot A and shows it over real SSH, env readable with the real fw_printenv', async () => {
    expect(await ssh(sim, `cat ${join(sim.root, 'proc', 'cmdline')}`)).toContain('mmcblk0p2');
    const env = await ssh(sim, `fw_printenv -c ${join(sim.root, 'etc', 'fw_env.config')}`);
    expect(env).toMatch(scheme === 'rauc' ? /BOOT_ORDER=A B/ : /upgrade_available=0/);
    expect(version(sim)).toBe('v5.0.4');
  });

  it('boots the other slot after a try-boot, through the on-gateway reboot command', async () => {
    await sim.setEnv(tryBoot[scheme]('B'));
    const before = look(sim);
    expect(before).toMatchObject({ slot: 'A', version: 'v5.0.4' });
    await ssh(sim, join(sim.root, 'sbin', 'reboot'));
    // Look as fast as we can while it reboots: the slot, its version and the boot id change
    // together (one generation of the booted system's files), never one without the others.
    const seen = new Set<string>();
    let now = before;
    for (let i = 0; i < 2000 && now.slot !== 'B'; i++) {
      seen.add(JSON.stringify(now));
      await new Promise((r) => setTimeout(r, 1));
      now = look(sim);
    }
    expect([...seen]).toEqual([JSON.stringify(before)]);
    expect(now).toMatchObject({ slot: 'B', version: 'v5.0.3' });
    expect(now.bootId).not.toBe(before.bootId);
    // What a reader on the gateway opens is that generation: each file a link into it.
    for (const f of ['proc/cmdline', 'proc/boot_id', 'etc/os-release'])
      expect(readlinkSync(join(sim.root, f))).toMatch(/^\.\.\/run\/boot\/current\//);
    expect(booted(sim)).toBe('B');
    expect(version(sim)).toBe('v5.0.3');
  });

  it('runs each command through a plain POSIX shell, not the machine login shell', async () => {
    // A gateway's BusyBox sh reads no dotfiles; this machine's root logs in to bash.
    expect((await ssh(sim, 'readlink /proc/$$/exe')).trim()).toMatch(/\/(dash|busybox)$/);
  });

  it('falls back to the old slot when the trial slot holds no bootable image', async () => {
    // Now on B; put garbage in A and try it.
    const fd = openSync(join(sim.root, 'dev', 'mmcblk0p2'), 'r+');
    writeSync(fd, Buffer.alloc(512), 0, 512, 0);
    closeSync(fd);
    await sim.setEnv(tryBoot[scheme]('A'));
    await sim.reboot();
    expect(booted(sim)).toBe('B');
    expect(readFileSync(join(sim.root, 'var', 'log', 'boot.log'), 'utf8')).toMatch(
      /slot A: kernel panic/,
    );
  });

  it('boots an unhealthy image without the healthy flag, and repeated reboots without commit fall back', async () => {
    await sim.writeImage('A', 'v6.0.0', { healthy: false });
    await sim.setEnv(tryBoot[scheme]('A'));
    await sim.reboot();
    expect(booted(sim)).toBe('A');
    expect(version(sim)).toBe('v6.0.0');
    await expect(
      ssh(sim, `test -e ${join(sim.root, 'run', 'gateway', 'healthy')}`),
    ).rejects.toThrow();
    for (let i = 0; i < 4 && booted(sim) === 'A'; i++) await sim.reboot();
    expect(booted(sim)).toBe('B');
  });
});

describe('test gateway options', () => {
  it('runs with BusyBox applets only, and its reboot still works', async () => {
    const sim = await startGatewaySim({ busybox: true });
    try {
      expect(await ssh(sim, 'readlink -f "$(command -v sha256sum)"')).toContain('busybox');
      await sim.setEnv(tryBoot.bootcount('B'));
      await ssh(sim, join(sim.root, 'sbin', 'reboot'));
      for (let i = 0; i < 100 && booted(sim) !== 'B'; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(booted(sim)).toBe('B');
    } finally {
      await sim.stop();
    }
  });

  it('changes its host key on demand, and stops its sshd', async () => {
    const sim = await startGatewaySim({ scheme: 'rauc', booted: 'B', vars: {} });
    const before = sim.hostKeyFingerprint;
    expect(await sim.regenerateHostKey()).not.toBe(before);
    expect(booted(sim)).toBe('B');
    const port = sim.port;
    await sim.stop();
    const net = await import('node:net');
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('writes the safety signals it is given', async () => {
    const sim = await startGatewaySim();
    try {
      await sim.setSafety({ crane_motion: { status: 'moving' } });
      expect(
        JSON.parse(await ssh(sim, `cat ${join(sim.root, 'run', 'gateway', 'safety.json')}`)),
      ).toEqual({ crane_motion: { status: 'moving' } });
      writeFileSync(join(sim.root, 'run', 'gateway', 'safety.json'), 'not json');
    } finally {
      await sim.stop();
    }
  });
});
