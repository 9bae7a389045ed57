import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { otaCore, simBundle, until } from './setup';

let sim: GatewaySim;
let core: Core;
let work: string;
let vendor: { key: string };
beforeAll(async () => {
  sim = await startGatewaySim({ scheme: 'bootcount', booted: 'A' });
  ({ core, work, vendor } = await otaCore(sim));
});
afterAll(async () => {
  await core?.close();
  await sim?.stop();
});

it('outside the maintenance window an install is refused (OTA_015, when it opens) until confirmed', async () => {
  // A daily one-minute window two hours from now: closed now, whatever the clock says.
  const later = new Date(Date.now() + 2 * 3600_000);
  const time = `${String(later.getHours()).padStart(2, '0')}:${String(later.getMinutes()).padStart(2, '0')}`;
  await core.call('settings.update', { maintenance_window: { enabled: true, time, duration: 60 } });
  const img = await core.call('images.import', { path: simBundle(work, vendor, 'v5.0.5').path });

  // flash (download + install) refuses before anything is written.
  const flash = await core
    .call('updates.flash', {
      gateway: 'gw',
      update_id: img.id,
      background: false,
      user: 'test',
      install: { reboot_delay: 0, verify_installation: true, create_snapshot: false },
    })
    .catch((e: unknown) => e);
  expect(flash).toMatchObject({ code: 'OTA_015' });
  expect((await core.call('jobs.list', {})).jobs).toHaveLength(0);

  const { job_id } = await core.call('updates.download', { gateway: 'gw', update_id: img.id });
  await until(core, job_id, ['downloaded', 'failed']);
  const refused = await core
    .call('updates.install', { job_id, reboot_delay: 0 })
    .catch((e: unknown) => e);
  expect(refused).toMatchObject({ code: 'OTA_015' });
  const opens = (refused as { details: { opens_at: string } }).details.opens_at;
  expect(Math.abs(Date.parse(opens) - later.getTime())).toBeLessThan(60_000);
  expect((await core.call('jobs.get', { job_id })).status).toBe('downloaded');
  expect((await sim.env()).boot_slot).toBe('A');

  await core.call('updates.install', { job_id, reboot_delay: 0, confirm_outside_window: true });
  const done = await until(core, job_id, ['success', 'failed']);
  expect(done.status, done.error ?? '').toBe('success');
});
