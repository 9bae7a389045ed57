import type { BackupRecord, ReportFormat } from '../../../../shared/backup-places';
import { REPORT_FORMATS } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';
import { reportCsv, reportHtml } from './csv-html';
import { reportPdf } from './pdf';
import { reportData } from './report-data';

export interface GeneratedReport {
  content_type: string;
  /** As the seed's Content-Disposition names it: backup_report_YYYYMMDD.pdf */
  filename: string;
  body: Buffer;
}

const TYPES: Record<ReportFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** The seed's "Generate Report": the backups of a period as pdf, html or csv. */
export async function generateReport(
  records: BackupRecord[],
  q: { format?: string; start_date?: string; end_date?: string },
  now: Date,
): Promise<GeneratedReport> {
  const format = (q.format ?? 'pdf') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `"${q.format}" is not a report format`,
      { format: q.format },
      ['Use pdf, html or csv'],
    );
  }
  const data = reportData(records, q, now);
  const body =
    format === 'pdf'
      ? await reportPdf(data)
      : Buffer.from(format === 'html' ? reportHtml(data) : reportCsv(data), 'utf8');
  return {
    content_type: TYPES[format],
    filename: `backup_report_${now.toISOString().slice(0, 10).replace(/-/g, '')}.${format}`,
    body,
  };
}
