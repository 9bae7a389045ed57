import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  actionForInstall,
  assignmentsOf,
  pendingReports,
} from '../../../src/main/core/hawkbit/assignments';
import { assignBoth, courier } from './setup';

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

const downloadFeedback = (execution: string) =>
  expect.objectContaining({
    status: expect.objectContaining({ execution, result: { finished: 'none' } }),
  });

describe('the hawkBit courier, before and after a crane visit', () => {
  it('fetches, installs offline (a rollback on one gateway, a success on another), reports exactly once', async () => {
    const c = await courier();
    stop = c.hb.stop;
    const images = assignBoth(c.hb);
    c.hb.dropNextDownloadAfter(64_000);

    // Before the visit.
    const first = await c.sync();
    expect(first.map((r) => [r.gateway, r.controller_id, r.ok])).toEqual([
      ['crane-7', 'gw-0007', true],
      ['crane-8', 'ctl-crane-8', true],
    ]);
    const [a7, a8] = [first[0]!.actions[0]!, first[1]!.actions[0]!];
    expect(a7).toMatchObject({
      action_id: '42',
      state: 'downloaded',
      version: '5.0.5',
      forced: true,
      maintenance_window: 'available',
    });
    expect(a8).toMatchObject({ action_id: '43', state: 'downloaded', forced: false });
    expect(readFileSync(a7.files[0]!).equals(images['42'])).toBe(true);
    expect(readFileSync(a8.files[0]!).equals(images['43'])).toBe(true);
    expect(c.hb.requests.filter((r) => r.range).length).toBe(1);
    expect(c.hb.attributes('gw-0007')).toMatchObject({
      model: 'CG-200',
      serial: 'SN7',
      slotA: '5.0.4',
    });
    expect(first[0]!.config_data_sent).toBe(true);
    for (const cid of ['gw-0007', 'ctl-crane-8'])
      expect(c.hb.feedback(cid).map((f) => f.body)).toEqual([
        downloadFeedback('proceeding'),
        downloadFeedback('downloaded'),
      ]);

    expect(assignmentsOf(c.journal, 'crane-7').map((a) => a.summary)).toEqual([
      'hawkBit wants 5.0.5 on crane-7 (action 42, forced / forced, maintenance window available)',
    ]);
    expect(assignmentsOf(c.journal, 'crane-8')[0]!.summary).toBe(
      'hawkBit wants 5.0.5 on crane-8 (action 43, forced / attempt)',
    );
    expect(actionForInstall(c.journal, 'crane-8', '5.0.5')?.action_id).toBe('43');
    expect(actionForInstall(c.journal, 'crane-8', '5.0.6')).toBeNull();

    // At the crane, offline: the OTA wiring records both outcomes through the port.
    c.port.record({
      gateway: 'crane-7',
      action_id: '42',
      version: '5.0.5',
      result: 'failure',
      started_at: '2026-11-20T09:14:03.000Z',
      finished_at: '2026-11-20T09:31:40.000Z',
      reason: 'slot B did not confirm its boot within 3 tries',
      rollback: { to_version: '5.0.4', at: '2026-11-20T09:30:12.000Z' },
      steps: [
        { at: '2026-11-20T09:14:05.000Z', line: 'writing slot B' },
        { at: '2026-11-20T09:24:51.000Z', line: 'slot B written and read back' },
        { at: '2026-11-20T09:25:02.000Z', line: 'rebooting into slot B' },
      ],
    });
    c.port.record({
      gateway: 'crane-8',
      action_id: '43',
      version: '5.0.5',
      result: 'success',
      started_at: '2026-11-20T10:02:00.000Z',
      finished_at: '2026-11-20T10:19:33.000Z',
      steps: [
        { at: '2026-11-20T10:02:01.000Z', line: 'writing slot A' },
        { at: '2026-11-20T10:19:33.000Z', line: 'slot A confirmed its boot' },
      ],
    });
    expect(pendingReports(c.journal).map((p) => [p.gateway, p.action_id, p.channel])).toEqual([
      ['crane-7', '42', 'deploymentBase'],
      ['crane-8', '43', 'deploymentBase'],
    ]);
    expect(actionForInstall(c.journal, 'crane-8', '5.0.5')).toBeNull();
    const before = c.hb.requests.length;

    // After the visit.
    const second = await c.sync();
    expect(second.every((r) => r.ok)).toBe(true);
    expect(second[0]!.sent).toEqual([
      { action_id: '42', channel: 'deploymentBase', execution: 'closed', finished: 'failure' },
    ]);
    const posted = c.hb.requests.slice(before).filter((r) => r.method === 'POST');
    expect(posted.map((r) => r.path)).toEqual([
      `/${c.hb.tenant}/controller/v1/gw-0007/deploymentBase/42/feedback`,
      `/${c.hb.tenant}/controller/v1/ctl-crane-8/deploymentBase/43/feedback`,
    ]);
    expect(c.hb.feedback('gw-0007')[2]!.body).toEqual({
      time: '2026-11-20T09:31:40.000Z',
      timestamp: Date.parse('2026-11-20T09:31:40.000Z'),
      status: {
        execution: 'closed',
        result: { finished: 'failure', progress: { cnt: 3, of: 3 } },
        details: [
          '2026-11-20T09:14:05.000Z writing slot B',
          '2026-11-20T09:24:51.000Z slot B written and read back',
          '2026-11-20T09:25:02.000Z rebooting into slot B',
          'failed: slot B did not confirm its boot within 3 tries',
          'rolled back to 5.0.4 at 2026-11-20T09:30:12.000Z',
          'install of 5.0.5 by Rigger at the crane failed, 2026-11-20T09:14:03.000Z to 2026-11-20T09:31:40.000Z',
        ],
      },
    });
    expect(c.hb.feedback('ctl-crane-8')[2]!.body).toEqual({
      time: '2026-11-20T10:19:33.000Z',
      timestamp: Date.parse('2026-11-20T10:19:33.000Z'),
      status: {
        execution: 'closed',
        result: { finished: 'success', progress: { cnt: 2, of: 2 } },
        details: [
          '2026-11-20T10:02:01.000Z writing slot A',
          '2026-11-20T10:19:33.000Z slot A confirmed its boot',
          'installed 5.0.5 by Rigger at the crane, 2026-11-20T10:02:00.000Z to 2026-11-20T10:19:33.000Z',
        ],
      },
    });
    expect(c.hb.action('gw-0007', '42').state).toBe('closed');
    expect(c.hb.action('ctl-crane-8', '43').state).toBe('closed');
    expect(c.hb.feedback('gw-0007')).toHaveLength(3);
    expect(c.hb.feedback('ctl-crane-8')).toHaveLength(3);

    expect(pendingReports(c.journal)).toEqual([]);
    // A third sync has nothing left to say.
    const third = await c.sync();
    expect(third.flatMap((r) => r.sent)).toEqual([]);
    expect(c.hb.feedback('gw-0007')).toHaveLength(3);
    expect(c.hb.feedback('ctl-crane-8')).toHaveLength(3);
    expect(third[0]!.actions[0]!.state).toBe('failed');
    expect(third[1]!.actions[0]!.state).toBe('installed');
  });

  it('reports an update outside any action through the Management API, or lists it as not reported', async () => {
    const c = await courier();
    stop = c.hb.stop;
    const offline = {
      gateway: 'crane-8',
      version: '5.0.6',
      result: 'success',
      started_at: '2026-11-20T11:00:00.000Z',
      finished_at: '2026-11-20T11:12:00.000Z',
      distribution_set_id: 9,
    };
    expect(c.port.record(offline).queued).toBe('offline');
    const without = await c.sync();
    expect(without[1]!.not_reported).toEqual([
      { version: '5.0.6', reason: 'no Management API credentials are set' },
    ]);
    expect(c.hb.requests.some((r) => r.path.startsWith('/rest/'))).toBe(false);

    const wrong = await c.sync({ management: { user: 'rigger', password: 'wrong' } });
    expect(wrong[1]!.ok).toBe(true);
    expect(wrong[1]!.not_reported).toEqual([
      { version: '5.0.6', reason: expect.stringContaining('HTTP 401') },
    ]);
    const withCreds = await c.sync({ management: { user: 'rigger', password: 'm-secret' } });
    expect(withCreds[1]!.offline_reported).toEqual([{ version: '5.0.6', distribution_set_id: 9 }]);
    const mg = c.hb.requests.filter((r) => r.path.startsWith('/rest/'));
    expect(mg[0]!.authorization).toBe(`Basic ${Buffer.from('rigger:wrong').toString('base64')}`);
    expect(mg.slice(1)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/rest/v1/targets/ctl-crane-8/assignedDS',
        query: '?offline=true',
        body: [{ id: 9 }],
      }),
    ]);
    const again = await c.sync({ management: { user: 'rigger', password: 'm-secret' } });
    expect(again[1]!.offline_reported).toEqual([]);
  });

  it('finds the distribution set of an update outside any action by its version', async () => {
    const c = await courier();
    stop = c.hb.stop;
    c.hb.addDistributionSet({ id: 11, name: 'crane-os', version: '5.0.7' });
    const at = (m: number) => `2026-11-20T11:${String(m).padStart(2, '0')}:00.000Z`;
    for (const [version, m] of [
      ['5.0.7', 10],
      ['5.0.8', 20],
    ] as const)
      c.port.record({
        gateway: 'crane-8',
        version,
        result: 'success',
        started_at: at(m),
        finished_at: at(m + 5),
      });
    const r = await c.sync({ management: { user: 'rigger', password: 'm-secret' } });
    expect(r[1]!.offline_reported).toEqual([{ version: '5.0.7', distribution_set_id: 11 }]);
    expect(r[1]!.not_reported).toEqual([
      { version: '5.0.8', reason: 'hawkBit has no distribution set of version 5.0.8' },
    ]);
    expect(c.hb.requests.filter((q) => q.path.startsWith('/rest/'))).toEqual([
      expect.objectContaining({
        path: '/rest/v1/distributionsets',
        query: expect.stringContaining('q=version%3D%3D%225.0.7%22'),
      }),
      expect.objectContaining({
        method: 'POST',
        path: '/rest/v1/targets/ctl-crane-8/assignedDS',
        body: [{ id: 11 }],
      }),
      expect.objectContaining({
        path: '/rest/v1/distributionsets',
        query: expect.stringContaining('5.0.8'),
      }),
    ]);
  });
});
