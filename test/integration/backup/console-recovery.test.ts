import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackupStore } from '../../../src/main/core/backup/store';
import { createCore, type Core } from '../../../src/main/core/core';
import { opensslEd25519 } from '../../helpers/bundles';
import { GATEWAY_IP, LAPTOP_IP, startUbootNet, type UbootNet } from '../../helpers/uboot-net';
import { simBundle } from '../ota/setup';

/**
 * Disaster recovery of a gateway whose Linux is down: registered by its console port, real
 * U-Boot under QEMU on a tap network, the backup's system image (a library image it recorded by
 * SHA-256, or a copied slot image staged through the library) flashed over TFTP by the console
 * flash path, and checked on the board's disk image.
 */
const MiB = 1024 * 1024;
const START_B = (16 * MiB) / 512;
let board: UbootNet;
let core: Core;
let dataDir: string;

function diskAt(offset: number, length: number): Buffer {
  const fd = openSync(board.disk, 'r');
  try {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, offset);
    return b;
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  board = await startUbootNet({
    diskMiB: 64,
    env: { boot_slot: 'A', upgrade_available: '0', bootcount: '0', bootlimit: '3' },
  });
  dataDir = mkdtempSync(join(tmpdir(), 'rigger-console-recovery-'));
  const profile = JSON.parse(
    readFileSync(join(__dirname, '../../../resources/profiles/univa-gw-pro.json'), 'utf8'),
  );
  profile.name = 'qemu-net-board';
  profile.console = {
    ...profile.console,
    block_command: 'virtio',
    block_device: '0',
    slot_start_block: { A: 2048, B: START_B },
    max_load_bytes: 4 * MiB,
    net: { gateway_ip: GATEWAY_IP, laptop_ip: LAPTOP_IP, netmask: '255.255.255.0' },
  };
  mkdirSync(join(dataDir, 'profiles'));
  writeFileSync(join(dataDir, 'profiles', 'qemu-net-board.json'), JSON.stringify(profile));
  core = createCore({ dataDir, mode: 'test', consoleChunkServer: () => board.startTftp({}) });
  await core.call('gateways.add', {
    name: 'crane-net',
    profile: 'qemu-net-board',
    connection: { type: 'serial', port: board.pty },
  });
}, 180_000);

afterAll(async () => {
  await core?.close();
  await board?.stop();
});

/** A backup of crane-net whose system component records a library image by its SHA-256. */
async function systemBackup(id: string, sha256: string, size: number, copied?: Buffer) {
  const repo = openBackupStore(dataDir, { allowLocked: true, env: {} });
  const w = repo.begin(id, false);
  const stored = !!copied;
  if (copied) await w.put([copied], { sha256, size, what: 'slot image' });
  await w.commit({
    format: 'rigger-backup',
    version: 1,
    id,
    name: id,
    type: 'full',
    description: 'taken over SSH before the gateway broke',
    created_at: new Date().toISOString(),
    created_by: 'test',
    gateway: {
      name: 'crane-net',
      gateway_id: 'crane-net',
      model: 'Univa-GW-Pro',
      version: 'v7.0.0',
      serial_number: null,
    },
    encryption: { enabled: false, algorithm: null, key_id: null, format_version: 1 },
    components: {},
    system: { slot: 'A', version: 'v7.0.0', size, image_sha256: sha256, stored },
    entries: [],
    signer: repo.site.fingerprint,
  });
}

describe('recovery over the serial console', () => {
  it("flashes the backup's system image through U-Boot, proven on the board's disk", async () => {
    const work = mkdtempSync(join(tmpdir(), 'rigger-console-recovery-img-'));
    const vendor = opensslEd25519(work);
    await core.call('keys.add', { path: vendor.pub });
    const bundle = simBundle(work, vendor, 'v7.0.0', { size: 2 * MiB });
    await core.call('images.import', { path: bundle.path });
    await systemBackup('sys-lib', bundle.sha256, bundle.size);

    const r = await core.call('recovery.initiate', {
      backup_id: 'sys-lib',
      recovery_type: 'system',
      create_pre_recovery_snapshot: false,
      confirmation: true,
    });
    expect(r).toMatchObject({ status: 'recovery_started', backup_id: 'sys-lib' });
    expect(r.warning).toMatch(/slot B over the serial console/);
    await core.jobs.wait(r.recovery_id);
    const row = core.jobs.store.find(r.recovery_id)!;
    expect(row.status, JSON.stringify(row.error)).toBe('success');
    expect(row.subtype).toBe('console_flash');
    const image = readFileSync(join(work, 'sim-v7.0.0-ok.d', 'gateway.img'));
    expect(diskAt(START_B * 512, image.length).equals(image)).toBe(true);
  }, 300_000);

  it('sends a copied slot image through the library (audited unsigned), proven on the disk', async () => {
    const copied = randomBytes(300 * 1024);
    const sha = createHash('sha256').update(copied).digest('hex');
    await systemBackup('sys-copied', sha, copied.length, copied);
    const r = await core.call('recovery.initiate', {
      backup_id: 'sys-copied',
      recovery_type: 'system',
      create_pre_recovery_snapshot: false,
      confirmation: true,
    });
    await core.jobs.wait(r.recovery_id);
    const row = core.jobs.store.find(r.recovery_id)!;
    expect(row.status, JSON.stringify(row.error)).toBe('success');
    expect(diskAt(START_B * 512, copied.length).equals(copied)).toBe(true);
    const staged = (await core.call('images.list', {})).find((i) => i.sha256 === sha);
    expect(staged).toMatchObject({
      signature: 'unsigned',
      source_name: 'backup-sys-copied-system.img',
    });
  }, 300_000);

  it("refuses a copied slot image whose backup this site's key does not sign, writing nothing", async () => {
    const copied = randomBytes(64 * 1024);
    const sha = createHash('sha256').update(copied).digest('hex');
    await systemBackup('sys-forged', sha, copied.length, copied);
    const repo = openBackupStore(dataDir, { allowLocked: true, env: {} });
    writeFileSync(repo.file('sys-forged', 'sig'), Buffer.alloc(64, 1).toString('base64'));
    const before = diskAt(START_B * 512, 4096);
    await expect(
      core.call('recovery.initiate', {
        backup_id: 'sys-forged',
        recovery_type: 'system',
        create_pre_recovery_snapshot: false,
        confirmation: true,
      }),
    ).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    expect(diskAt(START_B * 512, 4096).equals(before)).toBe(true);
    expect((await core.call('images.list', {})).some((i) => i.sha256 === sha)).toBe(false);
  });
});
