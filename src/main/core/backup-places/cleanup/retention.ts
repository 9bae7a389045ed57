import { RiggerError } from '../../../../shared/errors';

/** One of restic's `forget` rules: keep the newest backup of each of the last `count` periods. */
export interface RetentionRule {
  kind: 'last' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
  count: number;
}

/** "keep_daily_7" → { kind: 'daily', count: 7 }; anything else is a VALIDATION_ERROR. */
export function parseRule(text: string): RetentionRule {
  const m = /^keep_(last|hourly|daily|weekly|monthly|yearly)_(\d{1,4})$/.exec(text);
  if (!m || Number(m[2]) < 1) {
    throw new RiggerError('VALIDATION_ERROR', `"${text}" is not a retention rule`, { rule: text }, [
      'Use keep_last_N, keep_daily_N, keep_weekly_N or keep_monthly_N with N ≥ 1',
    ]);
  }
  return { kind: m[1] as RetentionRule['kind'], count: Number(m[2]) };
}

interface Parts {
  y: number;
  m: number;
  d: number;
  h: number;
}

function partsIn(time: Date, timeZone: string): Parts {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(time).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour) };
}

/** ISO 8601 week-numbering year and week of a calendar date (as restic's weekly bucket). */
function isoWeek({ y, m, d }: Parts): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${week}`;
}

function bucketOf(kind: RetentionRule['kind'], time: Date, index: number, tz: string): string {
  if (kind === 'last') return `#${index}`;
  const p = partsIn(time, tz);
  switch (kind) {
    case 'hourly':
      return `${p.y}-${p.m}-${p.d}-${p.h}`;
    case 'daily':
      return `${p.y}-${p.m}-${p.d}`;
    case 'weekly':
      return isoWeek(p);
    case 'monthly':
      return `${p.y}-${p.m}`;
    case 'yearly':
      return `${p.y}`;
  }
}

/**
 * Which backups the rules keep, and why, with restic's `forget` semantics: walking from newest
 * to oldest, a rule keeps a backup when it opens a period the rule has not kept one for yet, until
 * the rule's count is used up. `items` may come in any order.
 */
export function applyRules<T extends { id: string; created_at: string }>(
  items: T[],
  rules: RetentionRule[],
  timeZone = 'UTC',
): Map<string, string[]> {
  const sorted = [...items].sort((a, b) => b.created_at.localeCompare(a.created_at));
  const state = rules.map((r) => ({ rule: r, left: r.count, last: null as string | null }));
  const kept = new Map<string, string[]>();
  sorted.forEach((item, index) => {
    const time = new Date(item.created_at);
    for (const s of state) {
      if (s.left <= 0) continue;
      const bucket = bucketOf(s.rule.kind, time, index, timeZone);
      if (bucket === s.last) continue;
      s.last = bucket;
      s.left--;
      const why = kept.get(item.id) ?? [];
      why.push(`keep_${s.rule.kind}_${s.rule.count}`);
      kept.set(item.id, why);
    }
  });
  return kept;
}
