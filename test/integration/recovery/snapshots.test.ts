import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('snapshots and restore over SSH', () => {
  it('a snapshot then a restore returns the data paths byte for byte', async () => {
    const before = treeHashes(sim.root, DATA);
    const id = await takeSnapshot(core);
    const listed = (await core.call('recovery.status', { gateway: 'gw' })).snapshots;
    expect(listed.map((s) => s.id)).toContain(id);
    expect(listed[0]).toMatchObject({ type: 'manual', version: 'v5.0.4', partition: 'A' });

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
    const snap = (await core.call('snapshots.list', { gateway: 'gw' })).snapshots.find(
      (s) => s.id === id,
    )!;
    const file = join(core.info.data_dir, 'snapshots', `${id}.tar.gz`);
    const bytes = readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    writeFileSync(file, bytes);
    appendFileSync(join(sim.root, 'data', 'config', 'crane.conf'), 'changed_after=1\n');
    const changed = treeHashes(sim.root, DATA);
    await expect(
      core.call('recovery.restore', { gateway: 'gw', snapshot_id: id }),
    ).rejects.toMatchObject({
      code: 'OTA_007',
      details: { expected: `sha256:${snap.sha256}` },
    });
    expect(treeHashes(sim.root, DATA)).toEqual(changed);
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

  it('keeps at most max_snapshots per gateway, newest first', async () => {
    await core.call('settings.update', { recovery: { max_snapshots: 2 } });
    const ids = [await takeSnapshot(core, 'r1'), await takeSnapshot(core, 'r2')];
    ids.push(await takeSnapshot(core, 'r3'));
    const kept = (await core.call('snapshots.list', { gateway: 'gw' })).snapshots.map((s) => s.id);
    expect(kept).toEqual([ids[2], ids[1]]);
    await core.call('settings.update', { recovery: { max_snapshots: 10 } });
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
      while (!c.jobs.store.steps(s.job_id).some((x) => x.name === 'archive')) {
        if (Date.now() > end) throw new Error('the snapshot never reached its archive step');
        await new Promise((r) => setTimeout(r, 20));
      }
      proxy.cutAll(1000);
      const j = await settle(c, s.job_id);
      expect(j.status).toBe('failed');
      expect((await c.call('snapshots.list', {})).snapshots).toHaveLength(0);
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(join(c.info.data_dir, 'snapshots'))).toEqual([]);
    } finally {
      await c.close();
      await proxy.stop();
      await slow.stop();
    }
  });
});

describe('a restore whose link drops', () => {
  it('fails saying which paths were restored and which were not; none is half replaced', async () => {
    const gw = await startGatewaySim({ scheme: 'bootcount' });
    const { startProxy } = await import('../ota/proxy');
    const proxy = await startProxy({ host: gw.host, port: gw.port });
    const { core: c } = await otaCore(gw);
    try {
      await c.call('gateways.edit', {
        name: 'gw',
        confirm_new_address: true,
        changes: {
          connection: {
            type: 'ssh',
            host: '127.0.0.1',
            port: proxy.port,
            user: gw.user,
            auth: { method: 'key', key_file: gw.keyFile },
          },
        },
      });
      await c.gateways.status('gw', 'accept-new');
      const before = treeHashes(gw.root, DATA);
      const id = await takeSnapshot(c, 'cut');
      writeFileSync(join(gw.root, 'data', 'config', 'crane.conf'), 'crane_id=CHANGED\n');
      writeFileSync(join(gw.root, 'etc', 'gateway-release'), 'MODEL=Univa-GW-Pro\nEDITED=1\n');
      const edited = treeHashes(gw.root, DATA);
      const r = await c.call('recovery.restore', { gateway: 'gw', snapshot_id: id });
      // Cut the link once the first path is swapped in and the second is being unpacked.
      const end = Date.now() + 30_000;
      while (c.jobs.store.steps(r.restore_id).filter((x) => x.name === 'restore_path').length < 2) {
        if (Date.now() > end) throw new Error('the restore never reached its second path');
        await new Promise((res) => setTimeout(res, 5));
      }
      proxy.cutAll(1000);
      const j = await settle(c, r.restore_id);
      expect(j.status).toBe('failed');
      const err = c.jobs.store.find(r.restore_id)!.error!;
      const restored = err.details.restored as string[];
      const rest = err.details.not_restored as string[];
      expect([...restored, ...rest].sort()).toEqual(
        [join(gw.root, 'data'), join(gw.root, 'etc')].sort(),
      );
      expect(err.message).toMatch(/not restored/);
      // Each path is either wholly the snapshot or wholly as it was.
      const now = treeHashes(gw.root, DATA);
      for (const dir of DATA) {
        const pick = (t: Record<string, string>) =>
          Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith(`${dir}/`)));
        const wasRestored = restored.includes(join(gw.root, dir));
        expect(pick(now)).toEqual(pick(wasRestored ? before : edited));
      }
    } finally {
      await c.close();
      await proxy.stop();
      await gw.stop();
    }
  });
});
