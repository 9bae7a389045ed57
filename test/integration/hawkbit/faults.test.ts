import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assignBoth, courier, type Courier } from './setup';

let c: Courier | undefined;
afterEach(async () => {
  await c?.hb.stop();
  c?.db.close();
  c = undefined;
});

const success = (gateway: string, action_id: string) => ({
  gateway,
  action_id,
  version: '5.0.5',
  result: 'success',
  started_at: '2026-11-20T10:02:00.000Z',
  finished_at: '2026-11-20T10:19:33.000Z',
});

describe('the hawkBit courier with bad input and faults', () => {
  it('a wrong token is a 401 for every gateway, and changes nothing', async () => {
    c = await courier();
    assignBoth(c.hb);
    const r = await c.sync({ connection: { ...c.connection, gatewayToken: 'not-the-token' } });
    expect(r.map((g) => [g.ok, g.error?.code, g.error?.status])).toEqual([
      [false, 'UNAUTHORIZED', 401],
      [false, 'UNAUTHORIZED', 401],
    ]);
    expect(c.journal.actions()).toEqual([]);
    expect(c.journal.outbox()).toEqual([]);
  });

  it('an unknown controller is a 404 for that gateway; the other syncs', async () => {
    c = await courier();
    assignBoth(c.hb);
    const r = await c.sync({
      connection: { ...c.connection, controllers: { 'crane-8': 'nobody' } },
    });
    expect(r[0]).toMatchObject({ gateway: 'crane-7', ok: true });
    expect(r[0]!.actions.map((a) => a.state)).toEqual(['downloaded']);
    expect(r[1]).toMatchObject({
      ok: false,
      controller_id: 'nobody',
      error: { code: 'NOT_FOUND', status: 404 },
    });
  });

  it('a mapping to a gateway Rigger does not know is reported; the gateways it knows sync', async () => {
    c = await courier();
    assignBoth(c.hb);
    const r = await c.sync({
      connection: {
        ...c.connection,
        controllers: { 'crane-8': 'ctl-crane-8', 'crane-99': 'gw-0099' },
      },
    });
    expect(r.map((g) => [g.gateway, g.ok])).toEqual([
      ['crane-7', true],
      ['crane-8', true],
      ['crane-99', false],
    ]);
    expect(r[2]!.error?.code).toBe('NOT_FOUND');
  });

  it('an artifact whose hash differs is refused and closes that action as a failure', async () => {
    c = await courier();
    assignBoth(c.hb);
    const art = c.hb.action('gw-0007', '42').chunks[0]!.artifacts[0]!;
    art.served = Buffer.from(art.content).fill(0, 0, 16);
    const r = await c.sync();
    expect(r[0]!.ok).toBe(true);
    expect(r[0]!.actions[0]).toMatchObject({ state: 'failed', files: [] });
    expect(r[0]!.sent.map((s) => [s.execution, s.finished])).toEqual([
      ['proceeding', 'none'],
      ['closed', 'failure'],
    ]);
    expect(c.hb.action('gw-0007', '42').state).toBe('closed');
    expect(readdirSync(join(c.dataDir, 'hawkbit', 'gw-0007', '42', '0'))).toEqual([]);
    expect(r[1]!.actions[0]!.state).toBe('downloaded');
    expect(() => c!.port.record(success('crane-7', '42'))).toThrow(
      expect.objectContaining({ code: 'ALREADY_EXISTS' }),
    );
  });

  it('an unreachable server loses nothing: the journal waits, also across a restart', async () => {
    c = await courier();
    assignBoth(c.hb);
    await c.sync();
    c.port.record(success('crane-8', '43'));
    const down = await c.sync({ connection: { ...c.connection, url: 'http://127.0.0.1:9' } });
    expect(down.map((g) => [g.ok, g.error?.code])).toEqual([
      [false, 'OTA_009'],
      [false, 'OTA_009'],
    ]);
    expect(c.journal.pending('ctl-crane-8')).toHaveLength(1);
    c.db.close();
    const hb = c.hb;
    const reopened = await courier(c.dataDir);
    await reopened.hb.stop();
    c = { ...reopened, hb };
    const back = await c.sync({ connection: { ...c.connection, url: hb.url } });
    expect(back[1]!.sent).toEqual([
      { action_id: '43', channel: 'deploymentBase', execution: 'closed', finished: 'success' },
    ]);
    expect(hb.action('ctl-crane-8', '43').state).toBe('closed');
  });

  it('a cancel fetched before the visit is accepted when nothing was installed', async () => {
    c = await courier();
    assignBoth(c.hb);
    await c.sync();
    c.hb.cancel('gw-0007', '42');
    const r = await c.sync();
    expect(r[0]!.sent).toEqual([
      { action_id: '42', channel: 'cancelAction', execution: 'canceled', finished: 'success' },
    ]);
    expect(c.hb.action('gw-0007', '42').state).toBe('canceled');
    expect(r[0]!.actions[0]!.state).toBe('canceled');
    expect(r[0]!.actions[0]!.files).toEqual([]);
    expect(existsSync(join(c.dataDir, 'hawkbit', 'gw-0007', '42'))).toBe(false);
    // Installed anyway at the crane: an update outside any action, not the canceled one.
    expect(c.port.record(success('crane-7', '42')).queued).toBe('offline');
  });

  it('a cancel that arrives after the install is rejected, then the result is reported', async () => {
    c = await courier();
    assignBoth(c.hb);
    await c.sync();
    c.port.record(success('crane-7', '42'));
    c.hb.cancel('gw-0007', '42');
    const r = await c.sync();
    expect(r[0]!.sent).toEqual([
      { action_id: '42', channel: 'cancelAction', execution: 'rejected', finished: 'none' },
      { action_id: '42', channel: 'deploymentBase', execution: 'closed', finished: 'success' },
    ]);
    expect(c.hb.action('gw-0007', '42').state).toBe('closed');
  });

  it('an action whose download hawkBit says to skip is shown but not downloaded', async () => {
    c = await courier();
    assignBoth(c.hb);
    c.hb.action('gw-0007', '42').download = 'skip';
    const r = await c.sync();
    expect(r[0]!.actions).toEqual([
      expect.objectContaining({ action_id: '42', state: 'open', files: [] }),
    ]);
    expect(r[0]!.sent).toEqual([]);
    expect(c.hb.requests.some((q) => q.path.includes('/gw-0007/softwaremodules/'))).toBe(false);
    c.hb.action('gw-0007', '42').download = 'forced';
    expect((await c.sync())[0]!.actions[0]!.state).toBe('downloaded');
  });

  it('an artifact the image library refuses (unsigned) stays downloaded, with a warning', async () => {
    c = await courier();
    assignBoth(c.hb);
    const handed: string[][] = [];
    const r = await c.sync({
      onDownloaded: async ({ actionId, files }) => {
        handed.push(files);
        if (actionId === '42') throw new Error('the bundle is not signed by a trusted key');
      },
    });
    expect(handed).toHaveLength(2);
    expect(r[0]!.warnings).toEqual([
      'action 42: the image library did not take it: the bundle is not signed by a trusted key',
    ]);
    expect(r[0]!.actions[0]!.state).toBe('downloaded');
    expect(r[0]!.sent.map((s) => s.execution)).toEqual(['proceeding', 'downloaded']);
    expect(r[1]!.warnings).toEqual([]);
  });

  it('honours the polling interval unless forced, and sends If-None-Match', async () => {
    c = await courier();
    await c.sync();
    const polls = () =>
      c!.hb.requests.filter((q) => q.path.endsWith('/gw-0007') && q.method === 'GET');
    expect(polls()).toHaveLength(1);
    await c.sync({ force: false });
    expect(polls()).toHaveLength(1);
    await c.sync({ force: true });
    expect(polls()).toHaveLength(2);
    expect(polls()[1]!.ifNoneMatch).toMatch(/^".+"$/);
    expect(existsSync(join(c.dataDir, 'rigger.db'))).toBe(true);
  });
});
