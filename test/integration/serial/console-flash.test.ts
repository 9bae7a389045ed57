import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startQemuUboot, type QemuUboot } from '../../helpers/qemu-uboot';

const START_B = 34816; // blocks of 512: 17 MiB into the disk

/** Flash a slot over the console, chunk by chunk, into the virtio disk of U-Boot in QEMU. */
describe('flashing a slot over the serial console (QEMU U-Boot)', () => {
  let qemu: QemuUboot;
  let core: Core;
  let session: string;
  let image: Buffer;
  let imageId: string;
  beforeAll(async () => {
    qemu = await startQemuUboot({
      boot_slot: 'A',
      upgrade_available: '0',
      bootcount: '0',
      bootlimit: '3',
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-cflash-'));
    // The board's profile: the shipped one, with this board's storage (virtio 0) and small chunks.
    const profile = JSON.parse(
      readFileSync(join(__dirname, '../../../resources/profiles/univa-gw-pro.json'), 'utf8'),
    );
    profile.name = 'qemu-board';
    profile.console = {
      ...profile.console,
      block_command: 'virtio',
      block_device: '0',
      slot_start_block: { A: 2048, B: START_B },
      max_load_bytes: 64 * 1024,
    };
    mkdirSync(join(dataDir, 'profiles'));
    writeFileSync(join(dataDir, 'profiles', 'qemu-board.json'), JSON.stringify(profile));
    core = createCore({ dataDir, mode: 'test' });
    await core.call('gateways.add', {
      name: 'crane-7',
      profile: 'qemu-board',
      connection: {
        type: 'ssh',
        host: '192.0.2.7',
        port: 22,
        user: 'root',
        auth: { method: 'key', key_file: '/nonexistent' },
      },
    });
    image = randomBytes(150 * 1024 + 100); // three chunks, the last one padded
    const file = join(dataDir, 'rescue.img');
    writeFileSync(file, image);
    imageId = (
      await core.call('images.import', { path: file, unsigned: true, version: 'v5.0.4-rescue' })
    ).id;
    const s = await core.call('console.open', { path: qemu.pty, gateway: 'crane-7' });
    session = s.session_id;
    await core.call('console.action', { session_id: session, action: 'stop_autoboot' });
  }, 90_000);
  afterAll(async () => {
    await core?.close();
    await qemu?.stop();
  });

  it('refuses an unsigned image without the explicit choice, and the slot U-Boot boots next', async () => {
    await expect(
      core.call('console.flash', { session_id: session, image_id: imageId, slot: 'B' }),
    ).rejects.toMatchObject({ code: 'OTA_006' });
    const { job_id } = await core.call('console.flash', {
      session_id: session,
      image_id: imageId,
      slot: 'A',
      allow_unsigned: true,
    });
    await core.jobs.wait(job_id);
    const row = core.jobs.store.find(job_id)!;
    expect(row.status).toBe('failed');
    expect(row.error?.code).toBe('OTA_008');
  }, 60_000);

  it('writes the slot chunk by chunk, each proven by crc32 after loady and after reading back', async () => {
    const { job_id } = await core.call('console.flash', {
      session_id: session,
      image_id: imageId,
      slot: 'B',
      allow_unsigned: true,
    });
    await core.jobs.wait(job_id);
    const row = core.jobs.store.find(job_id)!;
    expect(row.status, JSON.stringify(row.error)).toBe('success');
    expect(row.result).toMatchObject({ target: 'B', chunks: 3 });
    const steps = core.jobs.store.steps(job_id).filter((s) => s.name === 'console_chunk');
    expect(steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    const fd = openSync(qemu.disk, 'r');
    const back = Buffer.alloc(image.length);
    readSync(fd, back, 0, image.length, START_B * 512);
    closeSync(fd);
    expect(back.equals(image)).toBe(true);
  }, 240_000);

  it('the adapter unplugged mid-transfer: the job fails cleanly and says where it stopped', async () => {
    const { job_id } = await core.call('console.flash', {
      session_id: session,
      image_id: imageId,
      slot: 'B',
      allow_unsigned: true,
    });
    const end = Date.now() + 120_000;
    while (
      !core.jobs.store.steps(job_id).some((s) => s.name === 'console_chunk' && s.status === 'done')
    ) {
      if (Date.now() > end) throw new Error('the first chunk never finished');
      await new Promise((r) => setTimeout(r, 100));
    }
    await qemu.stop(); // the board (and its console) gone, as with a pulled cable
    await core.jobs.wait(job_id);
    const row = core.jobs.store.find(job_id)!;
    expect(row.status).toBe('failed');
    expect(row.error?.message).toMatch(/stopped at chunk 2 \(byte 65536 of \d+\)/);
    expect(row.error?.details).toMatchObject({ chunk: 1, bytes_written: 65536 });
  }, 240_000);
});
