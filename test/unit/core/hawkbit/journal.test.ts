import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInstallPort } from '../../../../src/main/core/hawkbit/install-port';
import { createHawkbitJournal } from '../../../../src/main/core/hawkbit/journal';
import { openDatabase } from '../../../../src/main/core/store/database';

const deployment = {
  id: '42',
  deployment: { download: 'forced' as const, update: 'forced' as const, chunks: [] },
};
const outcome = {
  gateway: 'crane-7',
  action_id: '42',
  version: '5.0.5',
  result: 'failure',
  started_at: '2026-11-20T09:14:03.000Z',
  finished_at: '2026-11-20T09:31:40.000Z',
  reason: 'the new slot did not confirm its boot',
  rollback: { to_version: '5.0.4', at: '2026-11-20T09:30:12.000Z' },
  steps: [{ at: '2026-11-20T09:14:05.000Z', line: 'writing slot B' }],
};

function setup(dir = mkdtempSync(join(tmpdir(), 'rigger-hbj-'))) {
  const db = openDatabase(dir);
  const journal = createHawkbitJournal(db);
  const port = createInstallPort(journal, (g) => (g === 'crane-7' ? 'ctl-7' : g));
  return { dir, db, journal, port };
}

describe('hawkBit journal and install port', () => {
  it('queues an install of a fetched action once, with its times, and keeps it across a restart', () => {
    const { dir, db, journal, port } = setup();
    journal.saveAction('ctl-7', 'crane-7', deployment, '2026-11-19T17:00:00.000Z');
    expect(port.record(outcome)).toEqual({ queued: 'action', controller_id: 'ctl-7' });
    expect(() => port.record(outcome)).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    db.close();

    const again = setup(dir);
    const [row, ...rest] = again.journal.pending('ctl-7');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ channel: 'deploymentBase', actionId: '42', sentAt: null });
    expect(row!.body).toEqual({
      time: '2026-11-20T09:31:40.000Z',
      timestamp: Date.parse('2026-11-20T09:31:40.000Z'),
      status: {
        execution: 'closed',
        result: { finished: 'failure', progress: { cnt: 1, of: 1 } },
        details: [
          '2026-11-20T09:14:05.000Z writing slot B',
          'failed: the new slot did not confirm its boot',
          'rolled back to 5.0.4 at 2026-11-20T09:30:12.000Z',
          'install of 5.0.5 by Rigger at the crane failed, 2026-11-20T09:14:03.000Z to 2026-11-20T09:31:40.000Z',
        ],
      },
    });
    expect(again.journal.action('ctl-7', '42')?.state).toBe('failed');
  });

  it('refuses bad outcomes and actions never fetched, changing nothing', () => {
    const { journal, port } = setup();
    expect(() => port.record({ ...outcome, result: 'maybe' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(() => port.record({ ...outcome, finished_at: '2026-11-20T09:00:00.000Z' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_ERROR' }),
    );
    expect(() => port.record(outcome)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(journal.outbox()).toEqual([]);
  });

  it('queues an update outside any action as an offline install, once', () => {
    const { journal, port } = setup();
    const offline = { ...outcome, action_id: undefined, result: 'success', distribution_set_id: 9 };
    expect(port.record(offline).queued).toBe('offline');
    expect(() => port.record(offline)).toThrow(expect.objectContaining({ code: 'ALREADY_EXISTS' }));
    expect(journal.pending('ctl-7').map((r) => r.channel)).toEqual(['assignedDS']);
  });
});
