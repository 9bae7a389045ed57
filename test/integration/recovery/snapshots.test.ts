import {
  appendFileSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore } from '../ota/setup';
import { settle, takeSnapshot, treeHashes } from './setup';

let sim: GatewaySim;
let core: Core;
beforeAll(async () => {
  sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
  ({ core } = await otaCore(sim));
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
});

const DATA = ['data', 'etc'];

/** Every file under a folder. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );

describe('snapshots and restore over SSH', () => {
  it('a snapshot then a restore returns the data paths byte for byte', async () => {
    const before = treeHashes(sim.root, DATA);
    const id = await takeSnapshot(core);
    const listed = (await core.call('recovery.status', { gateway: 'gw' })).snapshots;
    expect(listed.map((s) => s.id)).toContain(id);
    expect(listed[0]).toMatchObject({ type: 'manual', version: 'v5.0.4', bootable: false });

    // The crane's config is changed, a file added, one removed.
    writeFileSync(join(sim.root, 'data', 'config', 'crane.conf'), 'crane_id=WRONG\n');
    writeFileSync(join(sim.root, 'data', 'config', 'stray.conf'), 'left behind\n');
    rmSync(join(sim.root, 'etc', 'gateway-release'));
    expect(treeHashes(sim.root, DATA)).not.toEqual(before);

    const r = await core.call('recovery.restore', { gateway: 'gw', snapshot_id: id });
    expect(r).toMatchObject({ status: 'restoring', snapshot_id: id, version: 'v5.0.4' });
    const j = await settle(core, r.restore_id);
    expect(j.status, j.error ?? '').toBe('success');
    expect(treeHashes(sim.root, DATA)).toEqual(before);
  });

  it('a damaged snapshot is refused before anything is written', async () => {
    const id = await takeSnapshot(core, 'to-damage');
    // Snapshots are backups: one flipped bit in the largest object of the store.
    const objects = filesUnder(join(core.info.data_dir, 'backups', 'objects'));
    const file = objects.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const original = readFileSync(file);
    const bytes = Buffer.from(original);
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(file, bytes);
    appendFileSync(join(sim.root, 'data', 'config', 'crane.conf'), 'changed_after=1\n');
    const changed = treeHashes(sim.root, DATA);
    try {
      const r = await core.call('recovery.restore', { gateway: 'gw', snapshot_id: id });
      const j = await settle(core, r.restore_id);
      expect(j.status).toBe('failed');
      expect(core.jobs.store.find(r.restore_id)!.error).toMatchObject({
        code: 'RESTORE_FAILED',
        details: { restored: [], integrity: 'failed' },
      });
      expect(treeHashes(sim.root, DATA)).toEqual(changed);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('a snapshot of another gateway model is refused', async () => {
    const id = await takeSnapshot(core, 'model');
    const release = join(sim.root, 'etc', 'gateway-release');
    const original = readFileSync(release, 'utf8');
    writeFileSync(release, original.replace('MODEL=Univa-GW-Pro', 'MODEL=Univa-GW-Lite'));
    try {
      await expect(
        core.call('recovery.restore', { gateway: 'gw', snapshot_id: id }),
      ).rejects.toMatchObject({ code: 'OTA_005' });
    } finally {
      writeFileSync(release, original);
    }
  });

  it('monitor status answers in the seed shape', async () => {
    const m = await core.call('monitor.status', { gateway: 'gw' });
    expect(m).toMatchObject({
      system_status: 'idle',
      current_operation: 'none',
      active_jobs: 0,
      health: { partitions: 'healthy', recovery: 'ready', safety: 'enabled' },
    });
    expect(m.resources.disk_free).toMatch(/GB$/);
  });
});

describe('a snapshot whose link drops', () => {
  it('fails cleanly and leaves no partial archive', async () => {
    const slow = await startGatewaySim({ scheme: 'bootcount', slowCommands: { tar: 2500 } });
    const { startProxy } = await import('../ota/proxy');
    const proxy = await startProxy({ host: slow.host, port: slow.port });
    const { core: c } = await otaCore(slow);
    try {
      await c.call('gateways.edit', {
        name: 'gw',
        confirm_new_address: true,
        changes: {
          connection: {
            type: 'ssh',
            host: '127.0.0.1',
            port: proxy.port,
            user: slow.user,
            auth: { method: 'key', key_file: slow.keyFile },
          },
        },
      });
      await c.gateways.status('gw', 'accept-new');
      const s = await c.call('monitor.snapshot', { gateway: 'gw' });
      const end = Date.now() + 30_000;
      while (!c.jobs.store.steps(s.job_id).some((x) => x.name === `backup ${s.snapshot_id}`)) {
        if (Date.now() > end) throw new Error('the snapshot never reached its archive step');
        await new Promise((r) => setTimeout(r, 20));
      }
      proxy.cutAll(1000);
      const j = await settle(c, s.job_id);
      expect(j.status).toBe('failed');
      expect((await c.call('snapshots.list', {})).snapshots).toHaveLength(0);
      expect((await c.call('backup.list', {})).total).toBe(0);
    } finally {
      await c.close();
      await proxy.stop();
      await slow.stop();
    }
  });
});
