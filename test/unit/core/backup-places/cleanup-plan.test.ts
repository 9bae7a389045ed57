import { describe, expect, it } from 'vitest';
import { planCleanup, bytesFreed } from '../../../../src/main/core/backup-places/cleanup/plan';
import { CleanupPlans, executePlan } from '../../../../src/main/core/backup-places/cleanup/plans';
import { analysisResponse } from '../../../../src/main/core/backup-places/cleanup/responses';
import type { BackupRecord } from '../../../../src/shared/backup-places';
import { daily, rec } from './records';

const now = new Date('2025-06-12T12:00:00Z');

describe('cleanup planner', () => {
  it('keep_last_5 over 12 backups removes the 7 oldest, and says why', () => {
    const records = daily(12, '2025-06-12');
    const plan = planCleanup({
      records,
      request: { dry_run: true, retention_policy: 'keep_last_5' },
      now,
    });
    expect(plan.remove.map((r) => r.id)).toEqual(records.slice(0, 7).map((r) => r.id));
    expect(plan.keep).toHaveLength(5);
    expect(plan.remove[0]!.reasons).toEqual(['not kept by keep_last_5']);
    expect(plan.bytes_freed).toBe(700);
  });

  it('max_age_days removes what is older, alone or beside rules', () => {
    const records = daily(12, '2025-06-12');
    const plan = planCleanup({ records, request: { dry_run: true, max_age_days: 3 }, now });
    // 06-09 02:00 is 3.4 days old at 06-12 12:00.
    expect(plan.remove.map((r) => r.id)).toEqual(records.slice(0, 9).map((r) => r.id));
  });

  it('never removes a protected backup: marked, last verified per gateway, needed by a schedule', () => {
    const records: BackupRecord[] = [
      ...daily(6, '2025-06-12'),
      rec('other-gw-old', '2025-05-01T02:00:00Z', { gateway: 'GW-002', verified: true }),
      rec('other-gw-new', '2025-06-12T03:00:00Z', { gateway: 'GW-002' }),
    ];
    records[0]!.protected = true; // 06-07
    records[1]!.verified = true; // 06-08: the last verified of GW-001
    records[2]!.type = 'config'; // 06-09 is the newest config backup
    const plan = planCleanup({
      records,
      request: { dry_run: true, retention_policy: 'keep_last_1' },
      now,
      schedules: [{ schedule_id: 'cfg', type: 'config', retention_count: 1, gateway: 'GW-001' }],
    });
    expect(plan.remove.map((r) => r.id).sort()).toEqual(['b2025-06-10', 'b2025-06-11']);
    const prot = Object.fromEntries(plan.protected.map((p) => [p.id, p.reasons]));
    expect(prot['b2025-06-07']).toEqual(['marked protected']);
    expect(prot['b2025-06-08']).toEqual(['last verified backup of its gateway']);
    expect(prot['b2025-06-09']).toEqual(['retention of schedule cfg']);
    expect(prot['other-gw-old']).toEqual(['last verified backup of its gateway']);
  });

  it('counts deduplicated data right: only blobs no kept backup references are freed', () => {
    const sizes = new Map([
      ['base', 1000],
      ['d1', 10],
      ['d2', 20],
      ['d3', 40],
    ]);
    const records = [
      rec('a', '2025-06-01T02:00:00Z', { blobs: ['base', 'd1'] }),
      rec('b', '2025-06-02T02:00:00Z', { blobs: ['base', 'd1', 'd2'] }),
      rec('c', '2025-06-03T02:00:00Z', { blobs: ['base', 'd3'] }),
    ];
    const plan = planCleanup({
      records,
      request: { dry_run: true, retention_policy: 'keep_last_1' },
      now,
      blobSizes: sizes,
    });
    expect(plan.remove.map((r) => r.id)).toEqual(['a', 'b']);
    expect(plan.bytes_freed).toBe(30);
    // Removing a alone frees nothing: b still uses everything a references.
    expect(bytesFreed(records, new Set(['a']), sizes)).toBe(0);
    expect(bytesFreed(records, new Set(['a', 'b', 'c']), sizes)).toBe(1070);
  });

  it('min_free_space removes further oldest backups until the space is reached, or says the shortfall', () => {
    const records = daily(5, '2025-06-12');
    const a = planCleanup({
      records,
      request: { dry_run: true, min_free_space: '250 B' },
      now,
      freeBytes: 0,
    });
    expect(a.remove.map((r) => r.id)).toEqual(records.slice(0, 3).map((r) => r.id));
    expect(a.shortfall_bytes).toBe(0);
    records[4]!.protected = true;
    const b = planCleanup({
      records,
      request: { dry_run: true, min_free_space: '1 KB' },
      now,
      freeBytes: 0,
    });
    expect(b.remove).toHaveLength(4);
    expect(b.shortfall_bytes).toBe(1024 - 400);
  });

  it('refuses a request with no policy and a bad rule', () => {
    const records = daily(2, '2025-06-12');
    expect(() => planCleanup({ records, request: { dry_run: true }, now })).toThrow(
      /at least one policy/,
    );
    expect(() =>
      planCleanup({ records, request: { dry_run: true, retention_policy: 'keep_last_0' }, now }),
    ).toThrow(/not a retention rule/);
  });
});

describe('cleanup plans', () => {
  const request = { dry_run: true, retention_policy: 'keep_last_2' } as const;

  it('executes exactly the dry run list once, with confirmation', async () => {
    const records = daily(5, '2025-06-12');
    const plans = new CleanupPlans();
    const plan = plans.add(planCleanup({ records, request, now }), now);
    const answer = analysisResponse(plan, true);
    expect(answer.cleanup_plan_id).toBe(plan.id);
    expect(answer.analysis).toMatchObject({
      total_backups: 5,
      eligible_for_removal: 3,
      space_to_free: '300 B',
    });
    expect(() => plans.take(plan.id, false, records)).toThrow(/confirmation/);
    const removed: string[] = [];
    const taken = plans.take(plan.id, true, records);
    const out = await executePlan(taken, { remove: async (id) => void removed.push(id) });
    expect(removed).toEqual(answer.backups_to_remove.map((r) => r.id));
    expect(out.bytes_freed).toBe(answer.analysis.space_to_free_bytes);
    expect(() => plans.take(plan.id, true, records)).toThrow(/already executed/);
    expect(() => plans.take('ANALYSIS-nope', true, records)).toThrow(/No cleanup plan/);
  });

  it('refuses a plan made before new backups arrived', () => {
    const records = daily(5, '2025-06-12');
    const plans = new CleanupPlans();
    const plan = plans.add(planCleanup({ records, request, now }), now);
    const later = [...records, rec('new', '2025-06-12T11:00:00Z')];
    expect(() => plans.take(plan.id, true, later)).toThrow(/stale/);
    // Refused changes nothing: the plan can still run on the backups it was made from.
    expect(plans.take(plan.id, true, records).id).toBe(plan.id);
  });
});
