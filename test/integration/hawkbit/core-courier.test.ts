import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { startHawkbitStandin, type HawkbitStandin } from '../../helpers/hawkbit-standin';
import { otaCore, simBundle, until } from '../ota/setup';

/**
 * The courier wired into the core, against the DDI stand-in: the connection in the settings with
 * the token from the environment, a sync that brings a signed bundle into the library, an
 * offline install by the ordinary update (a success, then one that rolls back), and syncs that
 * report each with the job's own times.
 */
describe('hawkBit through the core', () => {
  let sim: GatewaySim;
  let hb: HawkbitStandin;
  let core: Core;
  let work: string;
  let vendor: { key: string };
  let cid: string;

  const assign = (id: string, version: string, healthy = true) => {
    const b = simBundle(work, vendor, version, { healthy });
    hb.assign(cid, {
      id,
      version,
      distributionSetId: Number(id),
      chunks: [
        {
          part: 'os',
          name: 'crane-rootfs',
          version,
          artifacts: [{ filename: basename(b.path), content: readFileSync(b.path) }],
        },
      ],
    });
  };
  /** Install a library image the way `rigger flash --image` does, to the job's end. */
  const install = async (version: string) => {
    const image = (await core.call('images.list', {})).find((i) => i.version === version)!;
    const job = await core.call('updates.flash', {
      gateway: 'gw',
      update_id: image.id,
      install: { reboot_delay: 0 },
    });
    return until(core, job.job_id, ['success', 'failed'], 120_000);
  };
  const pending = async () => {
    for (let i = 0; i < 100; i++) {
      const s = await core.call('hawkbit.status', {});
      if (s.pending.length) return s.pending;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('nothing was journaled');
  };

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    ({ core, work, vendor } = await otaCore(sim));
    hb = await startHawkbitStandin({ management: { user: 'rigger', pass: 'm-secret' } });
    cid = (await core.call('gateways.status', { name: 'gw' })).gateway.id!;
    hb.addTarget(cid);
  }, 120_000);
  afterAll(async () => {
    delete process.env.RIGGER_TEST_HB_TOKEN;
    await core?.close();
    await hb?.stop();
    await sim?.stop();
  });

  it('keeps the token out of the database and refuses a keychain it does not have', async () => {
    await expect(
      core.call('hawkbit.config', { url: hb.url, gateway_token: 'secret-token' }),
    ).rejects.toMatchObject({ code: 'SECRET_UNAVAILABLE' });
    expect((await core.call('settings.get', {})).hawkbit.url).toBeNull();
    await expect(core.call('hawkbit.sync', {})).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    const c = await core.call('hawkbit.config', {
      url: hb.url,
      tenant: hb.tenant,
      gateway_token_env: 'RIGGER_TEST_HB_TOKEN',
    });
    expect(c).toMatchObject({ url: hb.url, gateway_token: 'missing' });
    await expect(core.call('hawkbit.sync', {})).rejects.toMatchObject({
      code: 'SECRET_UNAVAILABLE',
    });
    process.env.RIGGER_TEST_HB_TOKEN = hb.gatewayToken;
    expect((await core.call('hawkbit.config', {})).gateway_token).toBe('environment');
    expect(JSON.stringify(await core.call('settings.get', {}))).not.toContain(hb.gatewayToken);
  });

  it('fetches, installs at the crane, and reports a success and a rollback with their times', async () => {
    assign('42', 'v5.1.0');
    const first = await core.call('hawkbit.sync', { force: true });
    expect(first.gateways).toEqual([
      expect.objectContaining({
        gateway: 'gw',
        controller_id: cid,
        ok: true,
        warnings: [],
        config_data_sent: true,
      }),
    ]);
    expect(hb.attributes(cid)).toMatchObject({ model: 'Univa-GW-Pro', slotA: 'v5.0.4' });
    expect(first.gateways[0]!.actions).toEqual([
      expect.objectContaining({ action_id: '42', state: 'downloaded', version: 'v5.1.0' }),
    ]);
    const lib = await core.call('images.list', {});
    expect(lib.find((i) => i.version === 'v5.1.0')?.signature).toBe('verified');
    const status = await core.call('hawkbit.status', { gateway: 'gw' });
    expect(status.assignments.map((a) => a.summary)).toEqual([
      'hawkBit wants v5.1.0 on gw (action 42, forced / forced)',
    ]);

    const ok = await install('v5.1.0');
    expect(ok.status).toBe('success');
    expect((await pending()).map((p) => [p.gateway, p.action_id])).toEqual([['gw', '42']]);
    const second = await core.call('hawkbit.sync', { force: true });
    expect(second.gateways[0]!.sent).toEqual([
      { action_id: '42', channel: 'deploymentBase', execution: 'closed', finished: 'success' },
    ]);
    const okRow = core.jobs.store.find(ok.id)!;
    const okBody = hb.feedback(cid).at(-1)!.body as Record<string, unknown>;
    expect(okBody).toMatchObject({
      time: okRow.finished_at,
      status: { execution: 'closed', result: { finished: 'success' } },
    });
    expect(hb.action(cid, '42').state).toBe('closed');

    // The next assignment boots but never comes up healthy: the gateway rolls back.
    assign('43', 'v5.2.0', false);
    await core.call('hawkbit.sync', { force: true });
    rmSync(join(sim.root, 'run', 'gateway', 'healthy'));
    const bad = await install('v5.2.0');
    expect(bad.status).toBe('failed');
    await pending();
    const third = await core.call('hawkbit.sync', { force: true });
    expect(third.gateways[0]!.sent).toEqual([
      { action_id: '43', channel: 'deploymentBase', execution: 'closed', finished: 'failure' },
    ]);
    const badRow = core.jobs.store.find(bad.id)!;
    const badBody = hb.feedback(cid).at(-1)!.body as {
      time: string;
      status: { details: string[] };
    };
    expect(badBody.time).toBe(badRow.finished_at);
    expect(badBody.status.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rolled back to v5\.1\.0 at /),
        expect.stringMatching(/^failed: .*health/),
      ]),
    );
    // Nothing is reported twice.
    const before = hb.feedback(cid).length;
    await core.call('hawkbit.sync', { force: true });
    expect(hb.feedback(cid)).toHaveLength(before);
    expect((await core.call('hawkbit.status', {})).pending).toEqual([]);
  }, 300_000);
});
