import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { useRecovery } from '../../../../src/renderer/src/stores/recovery';
import { useStatus } from '../../../../src/renderer/src/stores/status';
import { useUpdates } from '../../../../src/renderer/src/stores/updates';
import { wireEvents } from '../../../../src/renderer/src/stores/wire-events';
import type { RecoveryStatus } from '../../../../src/shared/recovery';
import { FakeApiClient, sampleGateway, sampleStatus } from '../fake-api-client';
import { sampleJob, sampleOffer } from '../ota-samples';

let fake: FakeApiClient;
const count = (op: string) => fake.calls.filter((c) => c.op === op).length;
const rollbackTo = (slot: 'A' | 'B') =>
  ({ rollback: { available: true, to_slot: slot, to_version: 'v5.0.4' } }) as RecoveryStatus;

beforeEach(() => {
  vi.useFakeTimers();
  fake = new FakeApiClient();
  setClient(fake);
  fake
    .answer('gateways.list', () => [sampleGateway()])
    .answer('profiles.list', () => [])
    .answer('gateways.status', () => sampleStatus());
});
afterEach(() => vi.useRealTimers());

describe('no stale state after a job', () => {
  it("a job's end reads its gateway's offers, status and recovery state again", async () => {
    let offers = [sampleOffer()];
    fake.answer('updates.check', () => ({
      status: 'success',
      updates: offers,
      last_checked: null,
      next_check: null,
      channel: 'stable',
      gateway_version: 'v5.0.4',
      offline: true,
    }));
    fake.answer('recovery.status', () => rollbackTo('A'));
    fake.answer('jobs.get', (i) => sampleJob({ id: i.job_id, status: 'success' }));
    await useUpdates.getState().checkFor('crane-7');
    await useRecovery.getState().load('crane-7');
    await useStatus.getState().refresh('crane-7');
    expect(useUpdates.getState().check?.updates).toHaveLength(1);
    const off = wireEvents(fake);

    offers = []; // installed: no longer offered
    const before = { status: count('gateways.status'), rec: count('recovery.status') };
    fake.emit({
      type: 'job_complete',
      job_id: 'OTA-JOB-1',
      status: 'success',
      message: '',
      details: {},
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(useUpdates.getState().check?.updates).toEqual([]);
    expect(count('gateways.status')).toBe(before.status + 1);
    expect(count('recovery.status')).toBe(before.rec + 1);
    expect(count('gateways.list')).toBe(1);

    // A job of another gateway leaves this one's offers alone.
    fake.answer('jobs.get', (i) => sampleJob({ id: i.job_id, gateway: 'crane-9' }));
    const checks = count('updates.check');
    fake.emit({
      type: 'job_complete',
      job_id: 'OTA-JOB-2',
      status: 'success',
      message: '',
      details: {},
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(count('updates.check')).toBe(checks);
    off();
  });

  it('a rollback card is never shown ended over the state from before the rollback', async () => {
    useRecovery.setState({
      gateway: 'crane-7',
      status: rollbackTo('B'),
      running: null,
      ended: null,
    });
    fake.answer('recovery.rollback', () => ({ rollback_id: 'RB-1' }) as never);
    fake.answer('jobs.get', () =>
      sampleJob({ id: 'RB-1', type: 'rollback', status: 'installing' }),
    );
    fake.answer('recovery.status', () => rollbackTo('A'));
    const seen: string[] = [];
    const unsub = useRecovery.subscribe((s) => {
      if (s.ended) seen.push(s.status?.rollback.to_slot ?? '?');
    });
    const done = useRecovery.getState().rollback('slot A failed its checks');
    await vi.advanceTimersByTimeAsync(0);
    fake.answer('jobs.get', () => sampleJob({ id: 'RB-1', type: 'rollback', status: 'success' }));
    fake.emit({
      type: 'job_complete',
      job_id: 'RB-1',
      status: 'success',
      message: '',
      details: {},
    });
    await done;
    unsub();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((slot) => slot === 'A')).toBe(true);
  });
});
