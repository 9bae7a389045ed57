import type { LogEntry } from '../../../shared/monitor';
import { seedTime } from '../../../shared/format/time';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2025-03-15 10:25:30" (UTC) as the seed writes times. */

/** A line's time: ISO-8601 at its start, or syslog's "Mar 15 10:25:30" (year from `year`). */
export function lineTime(line: string, year: number): { time: Date | null; rest: string } {
  const iso =
    /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(.*)$/.exec(line);
  if (iso) {
    const raw = iso[1]!.replace(' ', 'T');
    const d = new Date(/Z|[+-]\d{2}:?\d{2}$/.test(raw) ? raw : `${raw}Z`);
    if (!Number.isNaN(d.getTime())) return { time: d, rest: iso[2]! };
  }
  const sys = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(.*)$/.exec(line);
  if (sys && MONTHS.includes(sys[1]!)) {
    const d = new Date(
      Date.UTC(
        year,
        MONTHS.indexOf(sys[1]!),
        Number(sys[2]),
        Number(sys[3]),
        Number(sys[4]),
        Number(sys[5]),
      ),
    );
    return { time: d, rest: sys[6]! };
  }
  return { time: null, rest: line };
}

/** The level a line names, by the usual words; info when it names none. */
export function lineLevel(text: string): LogEntry['level'] {
  if (/\b(error|err|crit|critical|fatal|emerg|alert|panic|fail(ed|ure)?)\b/i.test(text))
    return 'error';
  if (/\b(warn|warning)\b/i.test(text)) return 'warning';
  if (/\bdebug\b/i.test(text)) return 'debug';
  return 'info';
}

/** The seed's source for a log file or tag: ota, recovery, safety, or system. */
export function sourceOf(name: string): LogEntry['source'] {
  if (/ota|update|rauc|mender|swupdate/i.test(name)) return 'ota';
  if (/recover|rollback|restore|factory/i.test(name)) return 'recovery';
  if (/safety|crane|acs|interlock/i.test(name)) return 'safety';
  return 'system';
}

/** One log line as a seed log entry. */
export function parseLine(
  line: string,
  file: string,
  year: number,
): LogEntry & { at: number | null } {
  const { time, rest } = lineTime(line.trim(), year);
  // "program[pid]: text" names its own source better than the file does.
  const tag = /^(?:\S+\s+)?([A-Za-z0-9_.-]+)(?:\[\d+\])?:\s/.exec(rest)?.[1];
  return {
    timestamp: time ? seedTime(time) : null,
    level: lineLevel(rest),
    source: sourceOf(tag && sourceOf(tag) !== 'system' ? tag : file),
    message: rest,
    details: { file },
    at: time ? time.getTime() : null,
  };
}
