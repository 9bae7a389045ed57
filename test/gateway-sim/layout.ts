import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { makeSimImage, sha256 } from './image';
import { SAFE_SIGNALS, SIM_IMAGE_SIZE, type SimOptions, type Slot } from './types';

/** The test gateway's folder: a path inside it. */
export type At = (...parts: string[]) => string;

/** Write `buf` at the start of a slot file without truncating it (it stays slot-sized). */
export function writeAtStart(path: string, buf: Buffer): void {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
}

/** The record of one slot in Rigger's status file for an image. */
export const slotRecord = (version: string, img: Buffer, installedAt: string) => ({
  version,
  sha256: sha256(img),
  size: img.length,
  installed_at: installedAt,
  image_id: `sim-${version}`,
});

/**
 * Lay out the gateway's disk: folders, the slot devices (on a small tmpfs where a capacity is
 * asked), identity, data, logs, the factory-reset script, the images in their slots and Rigger's
 * status file. Returns the slot devices and the mounts to undo.
 */
export function layOutDisk(p: At, opts: SimOptions, slotSize: number) {
  const versions = { A: 'v5.0.4', B: 'v5.0.3', ...opts.versions };
  for (const d of [
    'dev',
    'etc',
    'proc',
    'run/gateway',
    'data/rigger',
    'data/config',
    'var/log',
    'sbin',
    'ssh',
    'bin',
    'run/boot',
  ])
    mkdirSync(p(d), { recursive: true });
  // What the booted Linux shows lives in run/boot/current (see linux_up in uboot.sh), swapped
  // in one rename at each boot; these are links into it.
  symlinkSync('../run/boot/current/cmdline', p('proc', 'cmdline'));
  symlinkSync('../run/boot/current/boot_id', p('proc', 'boot_id'));
  symlinkSync('../run/boot/current/os-release', p('etc', 'os-release'));
  symlinkSync('../boot/current/healthy', p('run', 'gateway', 'healthy'));
  const dev: Record<Slot, string> = { A: p('dev', 'mmcblk0p2'), B: p('dev', 'mmcblk0p3') };
  for (const f of [dev.A, dev.B, p('dev', 'mmcblk0p1')]) {
    writeFileSync(f, '');
    execFileSync('truncate', ['-s', String(slotSize), f]);
  }
  // A slot whose storage is smaller than it claims: its device is a file on a small tmpfs.
  const mounts: string[] = [];
  for (const s of ['A', 'B'] as Slot[]) {
    const bytes = opts.slotCapacity?.[s];
    if (bytes === undefined) continue;
    const fs = p('fs', s);
    mkdirSync(fs, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', fs]);
    mounts.push(fs);
    execFileSync('truncate', ['-s', String(slotSize), join(fs, 'slot')]);
    rmSync(dev[s]);
    symlinkSync(join(fs, 'slot'), dev[s]);
  }

  // Identity, data and logs.
  writeFileSync(
    p('etc', 'gateway-release'),
    'GATEWAY_ID=univa-gw-sim-01\nGATEWAY_NAME=Univa-GW-Sim-01\nMODEL=Univa-GW-Pro\nSERIAL_NUMBER=GW2025-SIM0001\nHARDWARE_REVISION=RevB\nBOOTLOADER=U-Boot 2024.01\n',
  );
  writeFileSync(p('data', 'config', 'crane.conf'), 'crane_id=STS-07\nplc_address=192.0.2.10\n');
  writeFileSync(p('var', 'log', 'messages'), '2025-03-15T10:00:00Z gateway[1]: INFO started\n');
  writeFileSync(p('var', 'log', 'ota.log'), '2025-03-15T10:00:01Z ota[2]: INFO idle\n');
  writeFileSync(p('run', 'gateway', 'safety.json'), JSON.stringify(SAFE_SIGNALS));
  // With contract tools only, the sim's own scripts (not Rigger's commands) get every applet.
  const simToolsPath = opts.contractToolsOnly ? `PATH='${p('bin-sim')}'\n` : '';
  writeFileSync(
    p('sbin', 'gateway-factory-reset'),
    `#!/bin/sh\n${simToolsPath}rm -rf '${p('data', 'config')}'/*\necho "factory reset $(date -u)" >> '${p('var', 'log', 'messages')}'\n`,
  );
  chmodSync(p('sbin', 'gateway-factory-reset'), 0o755);

  // Images and Rigger's status file for the slots that hold one.
  const status: Record<string, unknown> = {};
  for (const s of ['A', 'B'] as Slot[]) {
    const v = versions[s];
    if (!v) continue;
    const img = makeSimImage(v, SIM_IMAGE_SIZE);
    writeAtStart(dev[s], img);
    status[s] = slotRecord(v, img, '2025-03-01T12:00:00Z');
  }
  writeFileSync(p('data', 'rigger', 'slots.json'), JSON.stringify(status, null, 2));
  return { dev, mounts };
}
