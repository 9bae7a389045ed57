import type { BackupRecord, BackupStatistics, StatPeriod } from '../../../../shared/backup-places';
import { STAT_PERIODS } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';
import { formatBytes } from '../size-text';

const PERIOD_MS: Record<StatPeriod, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
};

/** A period the seed knows; anything else is a VALIDATION_ERROR. */
export function parsePeriod(text: string | undefined): StatPeriod {
  const p = (text ?? '30d') as StatPeriod;
  if (!STAT_PERIODS.includes(p)) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `"${text}" is not a statistics period`,
      { period: text },
      [`Use one of ${STAT_PERIODS.join(', ')}`],
    );
  }
  return p;
}

/** Content-addressed pieces of a backup with their sizes (blobs, or its files by hash). */
function piecesOf(r: BackupRecord, blobSizes: Map<string, number>): [string, number][] {
  if (r.blobs) return r.blobs.map((b) => [b, blobSizes.get(b) ?? 0]);
  return r.files.map((f) => [f.sha256, f.size]);
}

/** Percent with one decimal, as the seed writes `success_rate`. */
const percent = (n: number, of: number) =>
  of ? `${(Math.round((n / of) * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%` : 'n/a';

/**
 * The seed's statistics for a period, from the records themselves: sizes are what backups
 * hold; `storage_used` and `storage_growth` count deduplicated bytes, each stored piece once.
 */
export function computeStatistics(
  records: BackupRecord[],
  period: StatPeriod,
  now: Date,
  blobSizes: Map<string, number> = new Map(),
): BackupStatistics {
  const from = now.getTime() - PERIOD_MS[period];
  const inPeriod = records.filter((r) => {
    const t = Date.parse(r.created_at);
    return t > from && t <= now.getTime();
  });
  const ok = inPeriod.filter((r) => r.status === 'completed');
  const total = ok.reduce((s, r) => s + r.size, 0);

  const stored = new Map<string, number>();
  const before = new Set<string>();
  let logicalAll = 0;
  for (const r of records) {
    if (r.status !== 'completed' || Date.parse(r.created_at) > now.getTime()) continue;
    logicalAll += r.size;
    for (const [id, size] of piecesOf(r, blobSizes)) {
      stored.set(id, size);
      if (Date.parse(r.created_at) <= from) before.add(id);
    }
  }
  let used = 0;
  let grown = 0;
  for (const [id, size] of stored) {
    used += size;
    if (!before.has(id)) grown += size;
  }
  const weeks = PERIOD_MS[period] / (7 * 86_400_000);

  const by_type: BackupStatistics['by_type'] = {};
  const typeBytes = new Map<string, number>();
  for (const r of ok) {
    by_type[r.type] = { count: (by_type[r.type]?.count ?? 0) + 1, size: '' };
    typeBytes.set(r.type, (typeBytes.get(r.type) ?? 0) + r.size);
  }
  for (const [t, b] of typeBytes) by_type[t]!.size = formatBytes(b);

  const days = new Map<string, { successful: number; failed: number; bytes: number }>();
  for (const r of inPeriod) {
    const d = r.created_at.slice(0, 10);
    const e = days.get(d) ?? { successful: 0, failed: 0, bytes: 0 };
    if (r.status === 'completed') {
      e.successful++;
      e.bytes += r.size;
    } else e.failed++;
    days.set(d, e);
  }
  const timeline = [...days]
    .sort((a, b) => b[0].localeCompare(a[0]))
    .map(([date, e]) => ({
      date,
      successful: e.successful,
      failed: e.failed,
      size: formatBytes(e.bytes),
    }));

  const dist = new Map<string, { count: number; bytes: number }>();
  for (const r of ok)
    for (const l of r.locations ?? []) {
      const e = dist.get(l) ?? { count: 0, bytes: 0 };
      e.count++;
      e.bytes += r.size;
      dist.set(l, e);
    }
  const storage_distribution = Object.fromEntries(
    [...dist].map(([l, e]) => [l, { count: e.count, size: formatBytes(e.bytes) }]),
  );

  return {
    period,
    summary: {
      total_backups: inPeriod.length,
      successful: ok.length,
      failed: inPeriod.length - ok.length,
      success_rate: percent(ok.length, inPeriod.length),
      total_size: formatBytes(total),
      average_size: formatBytes(ok.length ? Math.round(total / ok.length) : 0),
      storage_used: formatBytes(used),
      storage_growth: `${formatBytes(Math.round(grown / weeks))}/week`,
    },
    by_type,
    timeline,
    storage_distribution,
    bytes: {
      total,
      stored: used,
      logical_all: logicalAll,
      dedup_saved: Math.max(0, logicalAll - used),
      by_day: Object.fromEntries([...days].map(([d, e]) => [d, e.bytes])),
      by_location: Object.fromEntries([...dist].map(([l, e]) => [l, e.bytes])),
    },
  };
}
