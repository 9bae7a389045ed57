import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { makeSigningKey } from '../../unit/core/plugins/plugin-zip';
import { makeFirmwareBundle } from '../nodes/firmware-bundle';
import { pluginCore } from '../plugins/core-setup';

/** The whole core: listing a gateway's nodes makes them devices; the seed's OTA calls reach them. */
describe('node devices through the core API', () => {
  const key = makeSigningKey();
  let sim: GatewaySim;
  let core: Core;

  beforeAll(async () => {
    sim = await startGatewaySim({ nodes: {} });
    let dir: string;
    ({ core, dir } = await pluginCore(sim, key));
    const fw = makeFirmwareBundle(dir, {
      key: key.privateKey,
      type: 'esp32-load-sensor',
      version: '5.3.3',
    });
    await core.call('nodes.importFirmware', { path: fw.path });
  }, 60_000);
  afterAll(async () => {
    await core?.close();
    await sim?.stop();
  });

  it('lists, checks and updates a node device with the seed calls', async () => {
    await core.call('nodes.list', { gateway: 'gw' });
    const list = await core.call('devices.list', { type: 'esp32-load-sensor' });
    expect(list.devices.map((d) => [d.device_id, d.gateway, d.source])).toEqual([
      ['LOAD0001', 'gw', 'node'],
      ['LOAD0002', 'gw', 'node'],
      ['LOAD0003', 'gw', 'node'],
    ]);
    expect(await core.call('ota.check', { device_id: 'LOAD0002' })).toMatchObject({
      update_available: true,
      current_version: '5.3.2',
      latest_version: '5.3.3',
    });
    expect(
      (await core.call('firmware.list', { device_type: 'esp32-load-sensor' })).firmware,
    ).toMatchObject([{ version: '5.3.3', signed: true }]);

    await core.call('ota.trigger', { device_id: 'LOAD0002', target_version: '5.3.3' });
    expect((await core.call('devices.get', { device_id: 'LOAD0002' })).status).toBe('updating');
    let s = await core.call('ota.status', { device_id: 'LOAD0002' });
    for (
      let i = 0;
      i < 200 && s.update_status !== 'completed' && s.update_status !== 'failed';
      i++
    ) {
      await new Promise((r) => setTimeout(r, 100));
      s = await core.call('ota.status', { device_id: 'LOAD0002' });
    }
    expect(s).toMatchObject({
      update_status: 'completed',
      current_version: '5.3.3',
      progress: 100,
    });
    expect(await core.call('devices.get', { device_id: 'LOAD0002' })).toMatchObject({
      status: 'online',
      firmware_version: '5.3.3',
    });
  }, 60_000);
});
