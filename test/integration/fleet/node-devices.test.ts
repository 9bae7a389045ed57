import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { otaUpdateStatusSchema } from '../../../src/shared/fleet-ota';
import type { RiggerError } from '../../../src/shared/errors';
import { createFleet, type Fleet } from '../../../src/main/core/fleet/fleet';
import { openDatabase } from '../../../src/main/core/store/database';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { DEFAULT_NODES } from '../../gateway-sim/nodes';
import { nodeRig } from '../nodes/setup';

/** What a gateway's own update would need: never reached by a node device. */
const notForNodes = async (): Promise<never> => {
  throw new Error('a node device must not start a gateway job');
};

/**
 * The nodes behind the test gateway as devices of the fleet: listed by the node tool, typed by
 * node type with the gateway as parent, updated and rolled back through the gateway's node push.
 */
describe('nodes behind a test gateway are devices', () => {
  let sim: GatewaySim;
  let rig: ReturnType<typeof nodeRig>;
  let fleet: Fleet;

  beforeAll(async () => {
    sim = await startGatewaySim({
      contractToolsOnly: true,
      nodes: {
        nodes: [
          ...DEFAULT_NODES,
          {
            node_id: 'LOAD0005',
            name: 'Boom load cell',
            type: 'esp32-load-sensor',
            fw_version: '5.3.2',
            behavior: 'hang',
          },
          {
            node_id: 'WIND0002',
            name: 'Spare anemometer',
            type: 'esp32-wind-sensor',
            fw_version: '1.2.0',
            online: false,
          },
        ],
      },
    });
    rig = nodeRig(sim, { pollMs: 100, confirmTimeoutMs: 2000 });
    await rig.add('esp32-load-sensor', '5.3.2');
    await rig.add('esp32-load-sensor', '5.3.3');
    fleet = createFleet({
      db: openDatabase(join(rig.dir, 'db')),
      telemetry: { ingest: () => ({ accepted: 0 }) },
      jobs: { download: notForNodes, install: notForNodes, job: notForNodes },
      jobActive: () => false,
      latestJob: notForNodes,
      slotVersions: notForNodes,
      rollback: notForNodes,
      nodes: { service: rig.svc, library: rig.library },
    });
  }, 60_000);
  afterAll(async () => {
    await fleet?.close();
    await rig?.close();
    await sim?.stop();
  });

  it('lists every node as a device of its node type behind its gateway', async () => {
    expect(fleet.devices.list({}).devices).toEqual([]);
    await rig.svc.list('gw');
    const loads = fleet.devices.list({ type: 'esp32-load-sensor' }).devices;
    expect(loads.map((d) => d.device_id)).toEqual(['LOAD0001', 'LOAD0002', 'LOAD0003', 'LOAD0005']);
    expect(fleet.devices.get('LOAD0001')).toMatchObject({
      name: 'Hoist load cell A',
      device_type: 'esp32-load-sensor',
      source: 'node',
      gateway: 'gw',
      firmware_version: '5.3.2',
      status: 'online',
    });
    expect(fleet.devices.get('WIND0002').status).toBe('offline');
    expect(fleet.devices.list({ status: 'offline' }).devices.map((d) => d.device_id)).toEqual([
      'WIND0002',
    ]);
  });

  it('lists the node firmware among the firmware versions of its node type', () => {
    expect(fleet.firmware.list({ device_type: 'esp32-load-sensor' }).firmware).toMatchObject([
      { version: '5.3.3', device_type: 'esp32-load-sensor', signed: true },
      { version: '5.3.2', device_type: 'esp32-load-sensor', signed: true },
    ]);
    expect(fleet.firmware.list({ device_type: 'esp32-wind-sensor' }).firmware).toEqual([]);
  });

  it('answers ota/check from the node library and the version the node runs', async () => {
    expect(await fleet.check(fleet.devices.get('LOAD0002'), null)).toMatchObject({
      update_available: true,
      current_version: '5.3.2',
      latest_version: '5.3.3',
      checksum: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      download_url: null,
    });
    expect(await fleet.check(fleet.devices.get('WIND0001'), null)).toMatchObject({
      update_available: false,
      latest_version: null,
    });
  });

  it('updates a node through its gateway: updating while it runs, the new version after', async () => {
    const started = await fleet.ota.trigger({ device_id: 'LOAD0001', target_version: '5.3.3' });
    expect(otaUpdateStatusSchema.parse(started)).toMatchObject({
      target_version: '5.3.3',
      job_id: 'OTA_JOB_esp32-load-sensor-5.3.3',
    });
    expect(['pending', 'in_progress']).toContain(started.update_status);
    expect(fleet.devices.get('LOAD0001').status).toBe('updating');
    await rig.svc.wait('LOAD0001', 'OTA_JOB_esp32-load-sensor-5.3.3');
    expect(fleet.devices.get('LOAD0001')).toMatchObject({
      status: 'online',
      firmware_version: '5.3.3',
    });
    expect(await fleet.ota.status('LOAD0001')).toMatchObject({
      update_status: 'completed',
      progress: 100,
      stage: 'done',
      current_version: '5.3.3',
    });
    expect(sim.nodes!.otadata('LOAD0001')).toMatchObject({ active: 1 });
  });

  it('rolls a node back by pushing the older version through the same path', async () => {
    await fleet.ota.rollback({
      device_id: 'LOAD0001',
      target_version: '5.3.2',
      reason: 'load readings drift',
    });
    await rig.svc.wait('LOAD0001', 'OTA_JOB_esp32-load-sensor-5.3.2');
    expect(await fleet.ota.status('LOAD0001')).toMatchObject({
      update_status: 'rolled_back',
      current_version: '5.3.2',
    });
  });

  it('leaves a node whose push failed in error, with the reason', async () => {
    await fleet.ota.trigger({ device_id: 'LOAD0005', target_version: '5.3.3' });
    expect(fleet.devices.get('LOAD0005').status).toBe('updating');
    await rig.svc.wait('LOAD0005', 'OTA_JOB_esp32-load-sensor-5.3.3');
    const dev = fleet.devices.get('LOAD0005');
    expect(dev.status).toBe('error');
    expect(dev.metadata.last_error).toMatch(/never confirmed 5\.3\.3/);
    expect(await fleet.ota.status('LOAD0005')).toMatchObject({ update_status: 'failed' });
    // Being listed again is no proof the node took firmware: the error stays.
    await rig.svc.list('gw');
    expect(fleet.devices.get('LOAD0005').status).toBe('error');
  });

  it('refuses a version the library does not hold, and a repeat without force', async () => {
    const missing = await fleet.ota
      .trigger({ device_id: 'LOAD0002', target_version: '9.9.9' })
      .catch((e: RiggerError) => e);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
    const same = await fleet.ota
      .trigger({ device_id: 'LOAD0002', target_version: '5.3.2' })
      .catch((e: RiggerError) => e);
    expect(same).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(rig.svc.latest('LOAD0002')).toBeNull();
  });

  it('keeps nodes out of batch rollouts of gateway images', () => {
    // Even with a gateway image recorded under the node type, no node is a rollout target.
    fleet.firmware.add(
      { device_type: 'esp32-load-sensor', version: '5.3.3' },
      { id: 'img-1', version: '5.3.3', sha256: 'a'.repeat(64), size: 1, signature: 'verified' },
    );
    expect(() =>
      fleet.rollouts.create({
        device_type: 'esp32-load-sensor',
        target_version: '5.3.3',
        rollout_percentage: 50,
      }),
    ).toThrow(/No devices of type esp32-load-sensor to update/);
  });
});
