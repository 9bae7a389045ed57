import { createHash } from 'node:crypto';
import type { BackupRecord } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';

const MAX_DAYS = 366;

export interface ReportRow {
  gateway: string;
  site: string;
  backup_id: string;
  type: string;
  created_at: string;
  status: 'completed' | 'failed';
  size_bytes: number;
  verified: boolean;
  checksum: string;
  failure_reason: string;
}

export interface ReportData {
  title: string;
  generated_at: string;
  start_date: string;
  end_date: string;
  rows: ReportRow[];
  totals: { backups: number; successful: number; failed: number; verified: number; bytes: number };
}

function day(text: string | undefined, fallback: string, name: string): string {
  const d = text ?? fallback;
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(d) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);
  if (!ok) {
    throw new RiggerError('VALIDATION_ERROR', `${name} "${d}" is not a date`, { [name]: d }, [
      'Use YYYY-MM-DD',
    ]);
  }
  return d;
}

/** A backup's checksum: its store's, else a digest of its files' hashes (stable, checkable). */
export function checksumOf(r: BackupRecord): string {
  if (r.checksum) return r.checksum;
  const lines = r.files.map((f) => `${f.sha256}  ${f.path}`).sort();
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

/** What a report covers: the backups made from start to end date (whole UTC days). */
export function reportData(
  records: BackupRecord[],
  q: { start_date?: string; end_date?: string },
  now: Date,
): ReportData {
  const today = now.toISOString().slice(0, 10);
  const end = day(q.end_date, today, 'end_date');
  const start = day(
    q.start_date,
    new Date(Date.parse(`${end}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10),
    'start_date',
  );
  const span = (Date.parse(end) - Date.parse(start)) / 86_400_000;
  if (span < 0 || span >= MAX_DAYS) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `A report covers 1 to ${MAX_DAYS} days, from start_date to end_date`,
      {
        start_date: start,
        end_date: end,
      },
    );
  }
  const from = Date.parse(`${start}T00:00:00Z`);
  const to = Date.parse(`${end}T00:00:00Z`) + 86_400_000;
  const rows = records
    .filter((r) => {
      const t = Date.parse(r.created_at);
      return t >= from && t < to;
    })
    .sort((a, b) => a.gateway.localeCompare(b.gateway) || a.created_at.localeCompare(b.created_at))
    .map<ReportRow>((r) => ({
      gateway: r.gateway,
      site: r.site ?? '',
      backup_id: r.id,
      type: r.type,
      created_at: r.created_at,
      status: r.status,
      size_bytes: r.size,
      verified: r.verified,
      checksum: r.status === 'completed' ? checksumOf(r) : '',
      failure_reason: r.failure_reason ?? '',
    }));
  const ok = rows.filter((r) => r.status === 'completed');
  return {
    title: 'Rigger backup report',
    generated_at: now.toISOString(),
    start_date: start,
    end_date: end,
    rows,
    totals: {
      backups: rows.length,
      successful: ok.length,
      failed: rows.length - ok.length,
      verified: ok.filter((r) => r.verified).length,
      bytes: ok.reduce((s, r) => s + r.size_bytes, 0),
    },
  };
}
