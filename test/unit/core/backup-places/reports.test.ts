import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateReport } from '../../../../src/main/core/backup-places/reports/generate';
import { checksumOf } from '../../../../src/main/core/backup-places/reports/report-data';
import { rec } from './records';

const now = new Date('2025-06-12T12:00:00Z');
const records = [
  rec('backup_20250610_0200', '2025-06-10T02:00:00Z', {
    site: 'Quay 1',
    verified: true,
    checksum: `sha256:${'ab'.repeat(32)}`,
  }),
  rec('backup_20250611_0200', '2025-06-11T02:00:00Z', { site: 'Quay 1', gateway: 'GW-002' }),
  rec('backup_20250612_0200', '2025-06-12T02:00:00Z', {
    site: 'Quay 1',
    status: 'failed',
    failure_reason: 'Insufficient storage space, "local" full',
    files: [],
  }),
  rec('=cmd|evil', '2025-06-12T03:00:00Z', { site: 'Quay <1>' }),
  rec('outside', '2025-04-01T02:00:00Z'),
];

function pdfText(body: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rigger-report-')), 'r.pdf');
  writeFileSync(file, body);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString();
}

describe('backup reports', () => {
  it('a PDF that poppler reads: gateway, site, each backup with checksum and verification, failures with reasons', async () => {
    const r = await generateReport(
      records,
      { format: 'pdf', start_date: '2025-06-01', end_date: '2025-06-12' },
      now,
    );
    expect(r.content_type).toBe('application/pdf');
    expect(r.filename).toBe('backup_report_20250612.pdf');
    expect(r.body.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(r.body);
    expect(text).toContain('Period 2025-06-01 to 2025-06-12');
    expect(text).toContain('Gateway GW-001, site Quay 1');
    expect(text).toContain('Gateway GW-002, site Quay 1');
    expect(text).toContain(`sha256:${'ab'.repeat(32)}`);
    expect(text).toContain(checksumOf(records[1]!));
    expect(text).toMatch(/backup_20250610_0200[\s\S]*verified/);
    expect(text).toMatch(/not verified/);
    expect(text).toContain('Failures');
    expect(text).toContain('Insufficient storage space, "local" full');
    expect(text).toContain('4 backups: 3 successful (1 verified), 1 failed');
    expect(text).not.toContain('outside');
  });

  it('a period with no backups is a valid, empty report in every format', async () => {
    const q = { start_date: '2024-01-01', end_date: '2024-01-31' };
    const pdf = await generateReport(records, { ...q, format: 'pdf' }, now);
    expect(pdfText(pdf.body)).toContain('No backups in this period.');
    const csv = await generateReport(records, { ...q, format: 'csv' }, now);
    expect(csv.body.toString()).toBe(
      'gateway,site,backup_id,type,created_at,status,size_bytes,verified,checksum,failure_reason\r\n',
    );
    const html = await generateReport(records, { ...q, format: 'html' }, now);
    expect(html.body.toString()).toContain('No backups in this period.');
  });

  it('CSV quotes and neutralises formulas; HTML escapes', async () => {
    const csv = (
      await generateReport(
        records,
        { format: 'csv', start_date: '2025-06-12', end_date: '2025-06-12' },
        now,
      )
    ).body.toString();
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(',failed,');
    expect(lines[1]).toContain('"Insufficient storage space, ""local"" full"');
    expect(lines[2]).toContain(",'=cmd|evil,");
    const html = (
      await generateReport(records, { format: 'html', end_date: '2025-06-12' }, now)
    ).body.toString();
    expect(html).toContain('Quay &lt;1&gt;');
    expect(html).not.toContain('<1>');
    expect(html).toContain('<td>not verified</td>');
  });

  it('refuses a bad format, date or range', async () => {
    await expect(generateReport(records, { format: 'docx' }, now)).rejects.toThrow(
      /not a report format/,
    );
    await expect(generateReport(records, { start_date: '2025-02-30' }, now)).rejects.toThrow(
      /not a date/,
    );
    await expect(
      generateReport(records, { start_date: '2025-06-12', end_date: '2025-06-01' }, now),
    ).rejects.toThrow(/1 to 366 days/);
  });
});
