import { describe, expect, it } from 'vitest';
import { applyRules, parseRule } from '../../../../src/main/core/backup-places/cleanup/retention';
import { daily, rec } from './records';

const kept = (m: Map<string, string[]>) => [...m.keys()].sort();

describe('retention rules (restic forget semantics)', () => {
  it('parses the seed names and refuses others', () => {
    expect(parseRule('keep_last_5')).toEqual({ kind: 'last', count: 5 });
    expect(parseRule('keep_monthly_12')).toEqual({ kind: 'monthly', count: 12 });
    for (const bad of ['keep_last_0', 'keep_5', 'keep_fortnightly_2', 'keep_last_-1'])
      expect(() => parseRule(bad)).toThrow(/not a retention rule/);
  });

  it('keep_last_N keeps the N newest whatever their order in', () => {
    const items = daily(6, '2025-06-12').reverse();
    expect(kept(applyRules(items, [{ kind: 'last', count: 2 }]))).toEqual([
      'b2025-06-11',
      'b2025-06-12',
    ]);
  });

  it('keep_daily_N keeps the newest of each of the last N days that have backups', () => {
    const items = [
      rec('d1-early', '2025-06-10T01:00:00Z'),
      rec('d1-late', '2025-06-10T22:00:00Z'),
      rec('d2-early', '2025-06-11T01:00:00Z'),
      rec('d2-late', '2025-06-11T22:00:00Z'),
      // A day with no backup is skipped, not counted.
      rec('d4', '2025-06-13T05:00:00Z'),
    ];
    expect(kept(applyRules(items, [{ kind: 'daily', count: 2 }]))).toEqual(['d2-late', 'd4']);
    expect(kept(applyRules(items, [{ kind: 'daily', count: 5 }]))).toEqual([
      'd1-late',
      'd2-late',
      'd4',
    ]);
  });

  it('days are those of the given time zone', () => {
    // 23:30 UTC on the 10th is already the 11th in Berlin: one day, not two.
    const items = [rec('a', '2025-06-10T23:30:00Z'), rec('b', '2025-06-11T08:00:00Z')];
    expect(kept(applyRules(items, [{ kind: 'daily', count: 5 }]))).toEqual(['a', 'b']);
    expect(kept(applyRules(items, [{ kind: 'daily', count: 5 }], 'Europe/Berlin'))).toEqual(['b']);
  });

  it('keep_weekly_N uses ISO weeks; keep_monthly_N calendar months', () => {
    // 2025-06-01 is a Sunday (ISO week 22); 06-02 opens week 23; 06-09 week 24.
    const items = daily(15, '2025-06-15');
    expect(kept(applyRules(items, [{ kind: 'weekly', count: 2 }]))).toEqual([
      'b2025-06-08',
      'b2025-06-15',
    ]);
    const months = [
      rec('apr', '2025-04-30T02:00:00Z'),
      rec('may1', '2025-05-01T02:00:00Z'),
      rec('may31', '2025-05-31T02:00:00Z'),
      rec('jun', '2025-06-02T02:00:00Z'),
    ];
    expect(kept(applyRules(months, [{ kind: 'monthly', count: 2 }]))).toEqual(['jun', 'may31']);
  });

  it('rules combine: a backup is kept when any rule keeps it, with every reason', () => {
    const items = daily(10, '2025-06-10');
    const out = applyRules(items, [
      { kind: 'last', count: 2 },
      { kind: 'daily', count: 3 },
    ]);
    expect(kept(out)).toEqual(['b2025-06-08', 'b2025-06-09', 'b2025-06-10']);
    expect(out.get('b2025-06-10')).toEqual(['keep_last_2', 'keep_daily_3']);
    expect(out.get('b2025-06-08')).toEqual(['keep_daily_3']);
  });
});
