import { formatBytes } from '../size-text';
import type { ReportData, ReportRow } from './report-data';

const COLUMNS: (keyof ReportRow)[] = [
  'gateway',
  'site',
  'backup_id',
  'type',
  'created_at',
  'status',
  'size_bytes',
  'verified',
  'checksum',
  'failure_reason',
];

/** One CSV field: quoted when needed; a leading = + - @ is neutralised so no sheet runs it. */
function csvField(v: unknown): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV (RFC 4180, CRLF), one row per backup; a period with none has the header only. */
export function reportCsv(d: ReportData): string {
  const lines = [COLUMNS.join(',')];
  for (const r of d.rows) lines.push(COLUMNS.map((c) => csvField(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

const esc = (v: unknown) =>
  String(v).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The report as a standalone HTML page (no scripts, no outside resources). */
export function reportHtml(d: ReportData): string {
  const rows = d.rows
    .map(
      (r) =>
        `<tr class="${r.status}"><td>${esc(r.gateway)}</td><td>${esc(r.site)}</td><td>${esc(r.backup_id)}</td><td>${esc(r.type)}</td><td>${esc(r.created_at)}</td><td>${esc(r.status)}</td><td>${esc(formatBytes(r.size_bytes))}</td><td>${r.verified ? 'verified' : 'not verified'}</td><td><code>${esc(r.checksum)}</code></td><td>${esc(r.failure_reason)}</td></tr>`,
    )
    .join('\n');
  const t = d.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(d.title)} ${esc(d.start_date)} to ${esc(d.end_date)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #999;padding:3px 6px;text-align:left}tr.failed{background:#fde8e8}code{font-size:11px}</style>
</head><body>
<h1>${esc(d.title)}</h1>
<p>Period ${esc(d.start_date)} to ${esc(d.end_date)} (UTC) · generated ${esc(d.generated_at)}</p>
<p>${t.backups} backups: ${t.successful} successful (${t.verified} verified), ${t.failed} failed, ${esc(formatBytes(t.bytes))} in total.</p>
${
  d.rows.length
    ? `<table><thead><tr><th>Gateway</th><th>Site</th><th>Backup</th><th>Type</th><th>Created</th><th>Status</th><th>Size</th><th>Verification</th><th>Checksum</th><th>Failure reason</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
    : '<p>No backups in this period.</p>'
}
</body></html>
`;
}
