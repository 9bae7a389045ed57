import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { rigger as run } from '../../helpers/cli';

const rigger = (dataDir: string, ...args: string[]) => run('--data-dir', dataDir, ...args);

describe('rigger recovery commands against the test gateway', () => {
  let sim: GatewaySim;
  let data: string;
  beforeAll(async () => {
    sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
    data = mkdtempSync(join(tmpdir(), 'rigger-cli-rec-'));
    const add = await rigger(
      data,
      'gateway',
      'add',
      'gw',
      '--ssh',
      `${sim.user}@${sim.host}:${sim.port}`,
      '--key',
      sim.keyFile,
      '--profile',
      sim.profilePath,
    );
    expect(add.code, add.err).toBe(0);
    const st = await rigger(data, 'status', 'gw', '--accept-new-host-key');
    expect(st.code, st.err).toBe(0);
  });
  afterAll(async () => sim?.stop());

  it('takes a snapshot, lists it, and shows it in the recovery status', async () => {
    const s = await rigger(data, 'snapshot', 'create', 'gw', '--name', 'cli', '--json');
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(s.out)).toMatchObject({ type: 'snapshot', status: 'success' });
    const l = await rigger(data, 'snapshot', 'list', 'gw', '--json');
    expect(JSON.parse(l.out).snapshots[0]).toMatchObject({ name: 'cli', gateway: 'gw' });
    const r = await rigger(data, 'recovery', 'gw', '--json');
    expect(JSON.parse(r.out)).toMatchObject({
      recovery_image: { present: true },
      rollback: { available: true, to_slot: 'B' },
    });
  });

  it('a factory reset without a terminal needs the name and a PIN, and does nothing without', async () => {
    const r = await rigger(data, 'factory-reset', 'gw', '--reason', 'test it');
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--yes-i-am-sure gw/);
    const wrong = await rigger(
      data,
      'factory-reset',
      'gw',
      '--reason',
      'test',
      '--yes-i-am-sure',
      'other',
    );
    expect(wrong.code).not.toBe(0);
    expect(wrong.err).toMatch(/must name gw/);
  });

  it('monitor status in the seed shape', async () => {
    const m = await rigger(data, 'monitor', 'gw', '--json');
    expect(m.code, m.err).toBe(0);
    expect(JSON.parse(m.out)).toMatchObject({ system_status: 'idle', active_jobs: 0 });
    const alias = await rigger(data, 'monitor-status', 'gw', '--json');
    expect(alias.code, alias.err).toBe(0);
    expect(JSON.parse(alias.out)).toMatchObject({ system_status: 'idle' });
  });

  it('snapshots the slot image and restores the system with `rigger restore`', async () => {
    const s = await rigger(data, 'snapshot', 'create', 'gw', '--slot', '--name', 'img', '--json');
    expect(s.code, s.err).toBe(0);
    const st = await rigger(data, 'recovery-status', 'gw', '--json');
    expect(st.code, st.err).toBe(0);
    const snap = (JSON.parse(st.out) as { snapshots: { id: string; name: string }[] })
      .snapshots[0]!;
    expect(snap).toMatchObject({ name: 'img', bootable: true, slot_image: { slot: 'A' } });
    const bad = await rigger(data, 'restore', 'gw', snap.id, '--slot', 'Z');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--slot takes A or B, not "Z"/);
    const booted = await rigger(data, 'restore', 'gw', snap.id, '--slot', 'A', '--json');
    expect(booted.code).not.toBe(0);
    expect(JSON.parse(booted.err)).toMatchObject({ code: 'OTA_008' });
    const r = await rigger(data, 'restore', 'gw', snap.id, '--no-data', '--json');
    expect(r.code, r.err).toBe(0);
    // Snapshots are backups: restoring its system makes the gateway run the snapshot's image
    // (written into the other slot and booted only when the booted one holds another image).
    expect(JSON.parse(r.out)).toMatchObject({ type: 'restore', status: 'success' });
    const recs = JSON.parse(readFileSync(join(sim.root, 'data', 'rigger', 'slots.json'), 'utf8'));
    const now = JSON.parse((await rigger(data, 'recovery-status', 'gw', '--json')).out) as {
      snapshots: { id: string; slot_image: { sha256: string } }[];
    };
    const image = now.snapshots.find((x) => x.id === snap.id)!.slot_image.sha256;
    expect(recs.A.sha256).toBe(image);
  });
});
