import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiggerError } from '../../../src/shared/errors';
import {
  nodeConfigResponseSchema,
  otaCheckResponseSchema,
  otaStatusResponseSchema,
} from '../../../src/shared/nodes';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { DEFAULT_NODES, makeNodeFirmware } from '../../gateway-sim/nodes';
import { nodeRig } from './setup';

const caught = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as RiggerError;
  }
  throw new Error('expected a refusal');
};

describe('node OTA through the test gateway node tool', () => {
  let sim: GatewaySim;
  let rig: ReturnType<typeof nodeRig>;
  const job = 'OTA_JOB_esp32-load-sensor-5.3.3';

  beforeAll(async () => {
    sim = await startGatewaySim({
      contractToolsOnly: true,
      nodes: {
        nodes: [
          ...DEFAULT_NODES,
          {
            node_id: 'LOAD0004',
            name: 'Spreader load cell',
            type: 'esp32-load-sensor',
            fw_version: '5.3.2',
            behavior: 'drop',
            drop_at: 50,
          },
          {
            node_id: 'LOAD0005',
            name: 'Boom load cell',
            type: 'esp32-load-sensor',
            fw_version: '5.3.2',
            behavior: 'hang',
          },
        ],
      },
    });
    rig = nodeRig(sim);
    await rig.add('esp32-load-sensor', '5.3.3');
    await rig.add('esp32-limit-switch', '2.0.2');
  });
  afterAll(async () => {
    await rig?.close();
    await sim?.stop();
  });

  const push = async (node_id: string, ota_job_id = job) => {
    expect(await rig.svc.push({ node_id, ota_job_id })).toEqual({
      status: 'success',
      description: 'OTA update initiated successfully',
    });
    return otaStatusResponseSchema.parse(await rig.svc.wait(node_id, ota_job_id));
  };

  it('lists the nodes behind the gateway', async () => {
    const nodes = await rig.svc.list();
    expect(nodes.map((n) => n.node_id)).toEqual([
      'LIMIT001',
      'LOAD0001',
      'LOAD0002',
      'LOAD0003',
      'LOAD0004',
      'LOAD0005',
      'WIND0001',
    ]);
    expect(nodes[1]).toEqual({
      node_id: 'LOAD0001',
      name: 'Hoist load cell A',
      type: 'esp32-load-sensor',
      fw_version: '5.3.2',
      online: true,
      gateway: 'gw',
    });
  });

  it('offers the newest firmware for the node type, with the seed fields', async () => {
    const offer = otaCheckResponseSchema.parse(await rig.svc.check('LOAD0001'));
    const bytes = makeNodeFirmware('esp32-load-sensor', '5.3.3');
    expect(offer).toEqual({
      status: 'success',
      ota_available: true,
      description: 'New firmware version with bug fixes',
      fw_version: '5.3.3',
      ota_job_id: job,
      file_size: bytes.length,
      file_md5: createHash('md5').update(bytes).digest('hex'),
    });
    expect(await rig.svc.check('WIND0001')).toMatchObject({ ota_available: false });
  });

  it('pushes, follows the node until it confirms, and config shows the new version', async () => {
    const end = await push('LOAD0001');
    expect(end).toMatchObject({
      status: 'success',
      additional_info: 'Firmware updated successfully to version 5.3.3',
    });
    expect(nodeConfigResponseSchema.parse(await rig.svc.config('LOAD0001')).info.fw_version).toBe(
      '5.3.3',
    );
    expect(sim.nodes!.otadata('LOAD0001')).toMatchObject({ active: 1 });
    expect(await rig.svc.check('LOAD0001')).toEqual({
      status: 'success',
      ota_available: false,
      description: 'Device is running latest firmware',
    });
  });

  it('reports failed, with the version it runs, when the bootloader rolls back', async () => {
    const end = await push('LOAD0003');
    expect(end.status).toBe('failed');
    expect(end.additional_info).toMatch(
      /did not confirm 5\.3\.3: its bootloader rolled back, it runs 5\.3\.2/,
    );
    expect((await rig.svc.config('LOAD0003')).info.fw_version).toBe('5.3.2');
  });

  it('reports rejected when the node refuses the image', async () => {
    const end = await push('LIMIT001', 'OTA_JOB_esp32-limit-switch-2.0.2');
    expect(end).toMatchObject({
      status: 'rejected',
      additional_info: expect.stringMatching(/signature does not verify/),
    });
  });

  it('reports failed when the node drops off the bus mid-transfer', async () => {
    const end = await push('LOAD0004');
    expect(end).toMatchObject({
      status: 'failed',
      additional_info: expect.stringMatching(/went offline during the transfer.*at 50%/),
    });
  });

  it('reports failed when the node never confirms, and holds other pushes off meanwhile (423)', async () => {
    expect(await rig.svc.push({ node_id: 'LOAD0005', ota_job_id: job })).toMatchObject({
      status: 'success',
    });
    const busy = await caught(rig.svc.push({ node_id: 'LOAD0002', ota_job_id: job }));
    expect(busy).toMatchObject({ code: 'OTA_014', details: { http_status: 423 } });
    const end = await rig.svc.wait('LOAD0005', job);
    expect(end.status).toBe('failed');
    expect(end.additional_info).toMatch(
      /never confirmed 5\.3\.3 within 3 s \(last: state rebooting, running 5\.3\.2/,
    );
  });

  it('refuses an offline node, an unknown node, a wrong type and an unknown job (400)', async () => {
    sim.nodes!.setOnline('LOAD0002', false);
    expect(await caught(rig.svc.push({ node_id: 'LOAD0002', ota_job_id: job }))).toMatchObject({
      message: expect.stringMatching(/Node is offline/),
      details: { http_status: 400 },
    });
    sim.nodes!.setOnline('LOAD0002', true);
    expect((await caught(rig.svc.check('NOPE0001'))).message).toMatch(
      /does not belong to any known gateway/,
    );
    expect((await caught(rig.svc.push({ node_id: 'WIND0001', ota_job_id: job }))).message).toMatch(
      /is for esp32-load-sensor, node WIND0001 is esp32-wind-sensor/,
    );
    expect(
      (await caught(rig.svc.push({ node_id: 'LOAD0002', ota_job_id: 'OTA_JOB_x' }))).message,
    ).toMatch(/OTA image not found/);
    expect((await caught(rig.svc.push({ node_id: 'LOAD0002' }))).message).toBe(
      'OTA Job Id missing',
    );
    expect(
      await caught(() => rig.svc.status({ node_id: 'LOAD0002', ota_job_id: job })),
    ).toMatchObject({ code: 'NOT_FOUND', details: { http_status: 404 } });
  });

  it('offers and pushes nothing a node does not meet the prerequisites of', async () => {
    const fw = await rig.add('esp32-wind-sensor', '2.0.0', undefined, ['1.5.0+']);
    expect(await rig.svc.check('WIND0001')).toEqual({
      status: 'success',
      ota_available: false,
      description: 'Firmware 2.0.0 needs 1.5.0+; the node runs 1.2.0',
    });
    const err = await caught(rig.svc.push({ node_id: 'WIND0001', ota_job_id: `OTA_JOB_${fw.id}` }));
    expect(err).toMatchObject({ details: { http_status: 400 } });
    rig.library.remove(fw.id);
  });

  it('reports rejected for firmware larger than the node slot', async () => {
    const big = await rig.add('esp32-wind-sensor', '1.3.0', 300 * 1024);
    const end = await push('WIND0001', `OTA_JOB_${big.id}`);
    expect(end).toMatchObject({
      status: 'rejected',
      additional_info: expect.stringMatching(/larger than the node's OTA slot/),
    });
  });
});

describe('updating every node of a type on a gateway', () => {
  let sim: GatewaySim;
  let rig: ReturnType<typeof nodeRig>;
  beforeAll(async () => {
    const after = {
      node_id: 'LOAD0009',
      name: 'Spare load cell',
      type: 'esp32-load-sensor',
      fw_version: '5.3.2',
    };
    sim = await startGatewaySim({ nodes: { nodes: [...DEFAULT_NODES, after] } });
    rig = nodeRig(sim);
    await rig.add('esp32-load-sensor', '5.3.3');
  });
  afterAll(async () => {
    await rig?.close();
    await sim?.stop();
  });

  it('goes one after another and stops at the first failure', async () => {
    const r = await rig.svc.pushAll('gw', 'esp32-load-sensor');
    expect(r.map((x) => [x.node_id, x.status])).toEqual([
      ['LOAD0001', 'success'],
      ['LOAD0002', 'success'],
      ['LOAD0003', 'failed'],
      ['LOAD0009', 'not_started'],
    ]);
    expect((await rig.svc.config('LOAD0009')).info.fw_version).toBe('5.3.2');
  });

  it('goes on past failures when told to', async () => {
    const r = await rig.svc.pushAll('gw', 'esp32-load-sensor', { continueOnFailure: true });
    expect(r.map((x) => [x.node_id, x.status])).toEqual([
      ['LOAD0001', 'up_to_date'],
      ['LOAD0002', 'up_to_date'],
      ['LOAD0003', 'failed'],
      ['LOAD0009', 'success'],
    ]);
  });
});
