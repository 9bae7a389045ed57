import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { GATEWAY_IP, LAPTOP_IP, startUbootNet, type UbootNet } from '../../helpers/uboot-net';

/**
 * A console flash of a gateway registered by its console port, into real U-Boot under QEMU whose
 * network is a tap in a namespace the test makes: over TFTP (Rigger's server, run in that
 * namespace) with gzwrite, over YMODEM when asked, and resumed after the console link is cut
 * in the middle of a chunk. Every result is checked on the board's disk image.
 */
const MiB = 1024 * 1024;
const START_B = (16 * MiB) / 512;
let board: UbootNet;
let core: Core;
const pseudoImage = (random: number, text: number) =>
  Buffer.concat([randomBytes(random), Buffer.alloc(text, 'crane gateway root filesystem ')]);

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

async function importImage(image: Buffer, version: string) {
  const file = join(board.dir, `${version}.img`);
  writeFileSync(file, image);
  return (await core.call('images.import', { path: file, unsigned: true, version })).id;
}

async function until(id: string, done: (c: Core) => boolean, what: string, ms = 240_000) {
  const end = Date.now() + ms;
  while (!done(core)) {
    if (Date.now() > end) throw new Error(`job ${id}: ${what} never came`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  board = await startUbootNet({
    diskMiB: 64,
    // A board booting slot A with no update pending: slot B is not bootable already.
    env: { boot_slot: 'A', upgrade_available: '0', bootcount: '0', bootlimit: '3' },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'rigger-cnet-'));
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
  // Rigger's TFTP server on the laptop's address, inside the board's network namespace.
  core = createCore({
    dataDir,
    mode: 'test',
    consoleChunkServer: (_net, port) => board.startTftp({}, { port }),
  });
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

describe('a console flash over U-Boot network or YMODEM, resumable', () => {
  it('flashes over TFTP with gzwrite, chunk by chunk, on port 69 by default where it may, and says why', async () => {
    const image = pseudoImage(5 * MiB, 5 * MiB + 3000);
    const id = await importImage(image, 'v6.0.0-tftp');
    const { job_id, slot } = await core.call('console.flashGateway', {
      gateway: 'crane-net',
      image_id: id,
      slot: 'B',
      allow_unsigned: true,
    });
    expect(slot).toBe('B');
    await core.jobs.wait(job_id);
    const row = core.jobs.store.find(job_id)!;
    expect(row.status, JSON.stringify(row.error)).toBe('success');
    expect(row.result).toMatchObject({ via: 'tftp', chunks: 3, bytes_written: image.length });
    expect(row.result!.bytes_on_wire as number).toBeLessThan(image.length * 0.75);
    expect(String(row.result!.via_reason)).toMatch(/TFTP: .*gzip-compressed.*laptop port 69/);
    const steps = core.jobs.store.steps(job_id).filter((s) => s.name === 'console_chunk');
    // The first 4 MiB are random: gzip would not fit them in the load area, so they go raw.
    expect(steps.map((s) => [s.status, s.details.gzip])).toEqual([
      ['done', false],
      ['done', true],
      ['done', true],
    ]);
    expect(diskAt(START_B * 512, image.length).equals(image)).toBe(true);
  }, 300_000);

  it('on the unprivileged port a U-Boot that ignores tftpdstp is refused TFTP when asked, and falls back to YMODEM saying why', async () => {
    const image = pseudoImage(4 * 1024, 12 * 1024);
    const id = await importImage(image, 'v6.0.3-port');
    const asked = await core.call('console.flashGateway', {
      gateway: 'crane-net',
      image_id: id,
      slot: 'B',
      allow_unsigned: true,
      via: 'tftp',
      tftp_port: 6969,
    });
    await core.jobs.wait(asked.job_id);
    const refused = core.jobs.store.find(asked.job_id)!;
    expect(refused.status).toBe('failed');
    expect(refused.error?.message).toMatch(
      /cannot go over TFTP: .*ignores tftpdstp.*--tftp-port 69/,
    );
    const { job_id } = await core.call('console.flashGateway', {
      gateway: 'crane-net',
      image_id: id,
      slot: 'B',
      allow_unsigned: true,
      tftp_port: 6969,
    });
    await core.jobs.wait(job_id);
    const row = core.jobs.store.find(job_id)!;
    expect(row.status, JSON.stringify(row.error)).toBe('success');
    expect(row.result).toMatchObject({
      via: 'ymodem',
      via_reason: expect.stringMatching(/YMODEM over the console: .*port 6969.*ignores tftpdstp/),
    });
    expect(diskAt(START_B * 512, image.length).equals(image)).toBe(true);
  }, 300_000);

  it('flashes over YMODEM when asked, gzip chunks written by gzwrite', async () => {
    const image = pseudoImage(8 * 1024, 40 * 1024);
    const id = await importImage(image, 'v6.0.1-ymodem');
    const { job_id } = await core.call('console.flashGateway', {
      gateway: 'crane-net',
      image_id: id,
      slot: 'B',
      allow_unsigned: true,
      via: 'ymodem',
    });
    await core.jobs.wait(job_id);
    const row = core.jobs.store.find(job_id)!;
    expect(row.status, JSON.stringify(row.error)).toBe('success');
    expect(row.result).toMatchObject({ via: 'ymodem', via_reason: expect.stringMatching(/asked/) });
    expect(row.result!.bytes_on_wire as number).toBeLessThan(image.length / 2);
    // Where the job's time went, phase by phase (the uboot tftp bench prints them).
    expect(Object.keys(row.result!.phase_seconds as object)).toEqual([
      'prepare',
      'load',
      'check',
      'write',
      'read_back',
    ]);
    expect(diskAt(START_B * 512, image.length).equals(image)).toBe(true);
  }, 300_000);

  it('the console link cut mid-chunk: the job stops resumable and goes on from the first unproven chunk', async () => {
    const image = pseudoImage(6 * MiB, 4 * MiB + 512);
    const id = await importImage(image, 'v6.0.2-resume');
    const { job_id } = await core.call('console.flashGateway', {
      gateway: 'crane-net',
      image_id: id,
      slot: 'B',
      allow_unsigned: true,
    });
    const chunkRunning = (n: number) => (c: Core) =>
      c.jobs.store
        .steps(job_id)
        .some((s) => s.name === 'console_chunk' && s.details.chunk === n && s.status === 'running');
    await until(job_id, chunkRunning(1), 'chunk 1');
    // The adapter pulled (or Rigger closed) while chunk 1 travels: its console goes away.
    const joined = await core.call('console.open', { path: board.pty, gateway: 'crane-net' });
    await core.call('console.close', { session_id: joined.session_id });
    await core.jobs.wait(job_id);
    const failed = core.jobs.store.find(job_id)!;
    expect(failed.status).toBe('failed');
    expect(failed.state.console_chunks_done).toBe(1);
    const listed = await core.call('jobs.get', { job_id });
    expect(listed.resumable).toBe(true);
    expect(diskAt(START_B * 512, 4 * MiB).equals(image.subarray(0, 4 * MiB))).toBe(true);

    await core.call('jobs.resume', { job_id });
    await core.jobs.wait(job_id);
    const row = core.jobs.store.find(job_id)!;
    expect(row.status, JSON.stringify(row.error)).toBe('success');
    expect(row.result).toMatchObject({ via: 'tftp', chunks: 3, resumed_from_chunk: 1 });
    const chunk0 = core.jobs.store
      .steps(job_id)
      .filter((s) => s.name === 'console_chunk' && s.details.chunk === 0);
    expect(chunk0).toHaveLength(1); // the proven chunk was not sent again
    expect(diskAt(START_B * 512, image.length).equals(image)).toBe(true);
  }, 400_000);
});
