import PDFDocument from 'pdfkit';
import { formatBytes } from '../size-text';
import type { ReportData } from './report-data';

/**
 * The report as a PDF a plant office can file: summary, then each gateway's backups with
 * checksum and verification, then failures with their reasons. Text, not pictures.
 */
export function reportPdf(d: ReportData): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: {
        Title: `${d.title} ${d.start_date} to ${d.end_date}`,
        Author: 'Rigger',
        CreationDate: new Date(d.generated_at),
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(18).text(d.title);
    doc.font('Helvetica').fontSize(10).text(`Period ${d.start_date} to ${d.end_date} (UTC)`);
    doc.text(`Generated ${d.generated_at}`);
    const t = d.totals;
    doc
      .moveDown()
      .text(
        `${t.backups} backups: ${t.successful} successful (${t.verified} verified), ${t.failed} failed, ${formatBytes(t.bytes)} in total.`,
      );
    if (!d.rows.length) {
      doc.moveDown().font('Helvetica-Bold').text('No backups in this period.');
      doc.end();
      return;
    }
    let gateway: string | null = null;
    for (const r of d.rows) {
      if (r.gateway !== gateway) {
        gateway = r.gateway;
        doc
          .moveDown()
          .font('Helvetica-Bold')
          .fontSize(13)
          .text(`Gateway ${r.gateway}${r.site ? `, site ${r.site}` : ''}`);
      }
      doc.moveDown(0.4).font('Helvetica-Bold').fontSize(10).text(`${r.backup_id}  (${r.type})`);
      doc
        .font('Helvetica')
        .fontSize(9)
        .text(
          `${r.created_at}   ${r.status}   ${formatBytes(r.size_bytes)}   ${r.status === 'completed' ? (r.verified ? 'verified' : 'not verified') : ''}`,
        );
      if (r.checksum) doc.font('Courier').fontSize(7).text(r.checksum);
      if (r.failure_reason) doc.font('Helvetica').fontSize(9).text(`Failure: ${r.failure_reason}`);
    }
    const failed = d.rows.filter((r) => r.status === 'failed');
    if (failed.length) {
      doc.addPage().font('Helvetica-Bold').fontSize(13).text('Failures');
      for (const r of failed)
        doc
          .moveDown(0.3)
          .font('Helvetica')
          .fontSize(9)
          .text(
            `${r.gateway}  ${r.backup_id}  ${r.created_at}: ${r.failure_reason || 'no reason recorded'}`,
          );
    }
    doc.end();
  });
}
