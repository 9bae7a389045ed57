import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { openDatabase } from '../../../src/main/core/store/database';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { startHawkbitStandin, type HawkbitStandin } from '../../helpers/hawkbit-standin';
import type { StandinRollout } from '../../helpers/hawkbit-standin-mgmt';
import { otaCore, simBundle, until } from '../ota/setup';

/**
 * The assignment at the crane, through the core against the DDI stand-in: offered from the
 * journal with its library image and its rollout's groups, installed the way the Updates page
 * does it (download, then install) and tied to the action by its image although hawkBit names
 * the version otherwise; a canceled action and a lost image are not offered and say why.
 */
describe('a hawkBit assignment offered at the crane', () => {
  let sim: GatewaySim;
  let hb: HawkbitStandin;
  let core: Core;
  let work: string;
  let vendor: { key: string };
  let cid: string;
  const rollout: StandinRollout = {
    id: 3,
    name: 'cranes-2026-12',
    groups: [
      { id: 31, name: 'pilot', status: 'finished', targetPercentage: 10, targets: ['other-1'] },
      { id: 32, name: 'quay-north', status: 'running', targetPercentage: 50, targets: [] },
    ],
  };

  const assign = (id: string, version: string, hawkbitVersion: string) => {
    const b = simBundle(work, vendor, version);
    hb.assign(cid, {
      id,
      version: hawkbitVersion,
      distributionSetId: Number(id),
      update: 'attempt',
      maintenanceWindow: 'available',
      ...(id === '42' ? { rollout } : {}),
      chunks: [
        {
          part: 'os',
          name: 'crane-rootfs',
          version: hawkbitVersion,
          artifacts: [{ filename: basename(b.path), content: readFileSync(b.path) }],
        },
      ],
    });
    return b;
  };
  const action = async (id: string) =>
    (await core.call('hawkbit.status', { gateway: 'gw' })).assignments.find(
      (a) => a.action_id === id,
    )!;

  beforeAll(async () => {
    sim = await startGatewaySim({ booted: 'A', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    ({ core, work, vendor } = await otaCore(sim));
    hb = await startHawkbitStandin({ management: { user: 'rigger', pass: 'm-secret' } });
    cid = (await core.call('gateways.status', { name: 'gw' })).gateway.id!;
    hb.addTarget(cid);
    rollout.groups[1]!.targets.push(cid);
    process.env.RIGGER_TEST_HB_OFFER_TOKEN = hb.gatewayToken;
    process.env.RIGGER_TEST_HB_OFFER_MGMT = 'm-secret';
    await core.call('hawkbit.config', {
      url: hb.url,
      gateway_token_env: 'RIGGER_TEST_HB_OFFER_TOKEN',
      management_user: 'rigger',
      management_password_env: 'RIGGER_TEST_HB_OFFER_MGMT',
    });
  }, 120_000);
  afterAll(async () => {
    delete process.env.RIGGER_TEST_HB_OFFER_TOKEN;
    delete process.env.RIGGER_TEST_HB_OFFER_MGMT;
    await core?.close();
    await hb?.stop();
    await sim?.stop();
  });

  it('offers the action with its image and its rollout groups, installs it, records every step', async () => {
    const bundle = assign('42', 'v5.1.0', '5.1.0-crane');
    const first = await core.call('hawkbit.sync', { force: true });
    expect(first.gateways[0]).toMatchObject({ ok: true, warnings: [] });
    const a = await action('42');
    expect(a).toMatchObject({
      state: 'downloaded',
      offered: true,
      problem: null,
      install: null,
      image: { id: bundle.id, version: 'v5.1.0', signature: 'verified' },
      rollout: {
        id: 3,
        name: 'cranes-2026-12',
        more_groups: false,
        groups: [
          { id: 31, name: 'pilot', status: 'finished', total_targets: 1, holds_target: false },
          { id: 32, name: 'quay-north', status: 'running', total_targets: 1, holds_target: true },
        ],
      },
    });
    expect(a.summary).toBe(
      'hawkBit wants 5.1.0-crane on gw (action 42, forced / attempt, maintenance window available)',
    );

    const { offer } = await core.call('hawkbit.offer', { gateway: 'gw', action_id: '42' });
    expect(offer).toMatchObject({ id: bundle.id, version: 'v5.1.0', compatible: true });
    // As the Updates page does it: write, then install once written.
    const started = await core.call('updates.download', { gateway: 'gw', update_id: offer.id });
    await until(core, started.job_id, ['downloaded'], 120_000);
    await core.call('updates.install', { job_id: started.job_id, reboot_delay: 0 });
    const done = await until(core, started.job_id, ['success', 'failed'], 120_000);
    expect(done.status).toBe('success');

    let after = await action('42');
    for (let i = 0; i < 100 && after.state === 'downloaded'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      after = await action('42');
    }
    const row = core.jobs.store.find(started.job_id)!;
    const steps = core.jobs.store.steps(started.job_id);
    expect(after).toMatchObject({
      state: 'installed',
      offered: false,
      install: { result: 'success', finished_at: row.finished_at, reported_at: null },
    });
    // Each step with the time the job store gave it, then the summary with the job's times.
    expect(after.install!.details.slice(0, steps.length)).toEqual(
      steps.map((s) => `${s.finished_at ?? s.started_at} ${s.name} ${s.status}`),
    );
    expect(after.install!.details.at(-1)).toBe(
      `installed v5.1.0 by Rigger at the crane, ${row.started_at} to ${row.finished_at}`,
    );

    const second = await core.call('hawkbit.sync', { force: true });
    expect(second.gateways[0]!.sent).toEqual([
      { action_id: '42', channel: 'deploymentBase', execution: 'closed', finished: 'success' },
    ]);
    expect((await action('42')).install!.reported_at).not.toBeNull();
    expect(hb.feedback(cid).at(-1)!.body).toMatchObject({
      time: row.finished_at,
      status: { execution: 'closed', result: { finished: 'success' } },
    });
  }, 300_000);

  it('shows a canceled action as canceled and does not offer it', async () => {
    assign('43', 'v5.2.0', '5.2.0');
    await core.call('hawkbit.sync', { force: true });
    expect(await action('43')).toMatchObject({ state: 'downloaded', offered: true });
    hb.cancel(cid, '43');
    await core.call('hawkbit.sync', { force: true });
    const a = await action('43');
    expect(a).toMatchObject({ state: 'canceled', offered: false, cancel_requested: true });
    expect(a.problem).toMatch(
      /canceled this action: it is not offered \(answered to hawkBit at 20\d\d-/,
    );
    await expect(
      core.call('hawkbit.offer', { gateway: 'gw', action_id: '43' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(hb.action(cid, '43').state).toBe('canceled');
  }, 120_000);

  it('says when the image is missing from the library and fetches it again at the next sync', async () => {
    const b = assign('44', 'v5.3.0', '5.3.0');
    await core.call('hawkbit.sync', { force: true });
    await core.call('images.remove', { id: b.id });
    const lost = await action('44');
    expect(lost).toMatchObject({ state: 'downloaded', offered: false, image: null });
    expect(lost.problem).toMatch(/no longer in the library\. Sync with hawkBit again/);
    await expect(
      core.call('hawkbit.offer', { gateway: 'gw', action_id: '44' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const again = await core.call('hawkbit.sync', { force: true });
    expect(again.gateways[0]!.warnings).toEqual([]);
    expect(await action('44')).toMatchObject({
      state: 'downloaded',
      offered: true,
      image: { id: b.id },
    });
    // The download feedback went once, not again for the second fetch.
    const sent = hb.feedback(cid).filter((f) => f.actionId === '44');
    expect(sent.map((f) => (f.body as { status: { execution: string } }).status.execution)).toEqual(
      ['proceeding', 'downloaded'],
    );
  }, 120_000);

  it('journals an install that ended while Rigger was not listening, when it starts again', async () => {
    // hawkBit offers one action at a time: 44 is done with on its side.
    hb.action(cid, '44').state = 'closed';
    const b = assign('45', 'v5.4.0', '5.4.0');
    await core.call('hawkbit.sync', { force: true });
    const job = await core.call('updates.flash', {
      gateway: 'gw',
      update_id: b.id,
      install: { reboot_delay: 0 },
    });
    expect((await until(core, job.job_id, ['success', 'failed'], 120_000)).status).toBe('success');
    const installed = async () => {
      for (let i = 0; i < 200 && (await action('45')).state !== 'installed'; i++)
        await new Promise((r) => setTimeout(r, 50));
      return action('45');
    };
    expect((await installed()).state).toBe('installed');
    const finished = core.jobs.store.find(job.job_id)!.finished_at;
    await core.close();
    // The laptop stopped before the journal had it: as if the listener never ran.
    const dataDir = join(work, 'data');
    const db = openDatabase(dataDir);
    db.prepare('DELETE FROM hawkbit_outbox WHERE dedupe = ?').run(`install:${cid}:45`);
    db.prepare("UPDATE hawkbit_actions SET state = 'downloaded' WHERE action_id = '45'").run();
    expect(db.prepare("SELECT state FROM hawkbit_actions WHERE action_id = '45'").get()).toEqual({
      state: 'downloaded',
    });
    db.close();
    core = createCore({ dataDir, mode: 'test' });
    expect(await installed()).toMatchObject({
      state: 'installed',
      install: { result: 'success', finished_at: finished, reported_at: null },
    });
  }, 240_000);
});
