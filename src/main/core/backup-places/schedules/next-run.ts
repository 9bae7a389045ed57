import { CronExpressionParser } from 'cron-parser';
import type { Schedule } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';

type Timing = Pick<
  Schedule,
  'frequency' | 'time' | 'timezone' | 'cron' | 'day_of_week' | 'day_of_month'
>;

const MAX_STEPS = 10_000;

function refuse(message: string, details: Record<string, unknown>, hint: string): never {
  throw new RiggerError('VALIDATION_ERROR', message, details, [hint]);
}

/** The schedule's cron expression; an impossible time, zone or expression is refused. */
export function cronOf(s: Timing): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: s.timezone });
  } catch {
    refuse(
      `"${s.timezone}" is not a time zone`,
      { timezone: s.timezone },
      'Use an IANA zone like "Europe/Berlin" or "UTC"',
    );
  }
  const m = /^(\d{2}):(\d{2})$/.exec(s.time);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
    refuse(`"${s.time}" is not a time of day`, { time: s.time }, 'Use HH:MM from 00:00 to 23:59');
  }
  const [hh, mm] = [Number(m[1]), Number(m[2])];
  let expr: string;
  switch (s.frequency) {
    case 'daily':
      expr = `${mm} ${hh} * * *`;
      break;
    case 'weekly':
      expr = `${mm} ${hh} * * ${s.day_of_week ?? 0}`;
      break;
    case 'monthly':
      // A month shorter than the chosen day runs on its last day (see accepts()).
      expr = `${mm} ${hh} ${s.day_of_month ?? 1},L * *`;
      break;
    case 'cron':
      if (!s.cron)
        refuse('A cron schedule needs its expression', {}, 'Give cron, like "0 2 * * 1-5"');
      // Five fields as crontab has them, or six with seconds first (cron-parser's extension).
      if (![5, 6].includes(s.cron.trim().split(/\s+/).length))
        refuse(
          `"${s.cron}" is not a five-field cron expression`,
          { cron: s.cron },
          'minute hour day month weekday',
        );
      expr = s.cron;
      break;
  }
  try {
    CronExpressionParser.parse(expr, { tz: s.timezone });
  } catch (err) {
    refuse(
      `"${expr}" is not a schedule: ${(err as Error).message}`,
      { cron: expr },
      'minute hour day month weekday',
    );
  }
  return expr;
}

function accepts(s: Timing, d: Date): boolean {
  if (s.frequency !== 'monthly') return true;
  const want = s.day_of_month ?? 1;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: s.timezone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  })
    .formatToParts(d)
    .reduce<Record<string, number>>((a, p) => ((a[p.type] = Number(p.value)), a), {});
  const last = new Date(Date.UTC(parts.year!, parts.month!, 0)).getUTCDate();
  return parts.day === want || (parts.day === last && last < want);
}

/** The first run strictly after `after`. */
export function nextExecution(s: Timing, after: Date): Date {
  const it = CronExpressionParser.parse(cronOf(s), { currentDate: after, tz: s.timezone });
  for (let i = 0; i < MAX_STEPS; i++) {
    const d = it.next().toDate();
    if (d.getTime() > after.getTime() && accepts(s, d)) return d;
  }
  refuse('The schedule never runs', {}, 'Check the day and time');
}

/** Runs that fell due in (from, to], oldest first, at most `limit` (the newest kept). */
export function dueBetween(s: Timing, from: Date, to: Date, limit = 50): Date[] {
  const out: Date[] = [];
  let at = from;
  for (let i = 0; i < MAX_STEPS; i++) {
    const d = nextExecution(s, at);
    if (d.getTime() > to.getTime()) break;
    out.push(d);
    if (out.length > limit) out.shift();
    at = d;
  }
  return out;
}
