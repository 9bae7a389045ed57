import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { WithCore } from './context';
import { print } from './output';

/** A whole number option. */
export const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n))
    throw new RiggerError('VALIDATION_ERROR', `${v} is not a whole number`, { value: v });
  return n;
};

/** `rigger backup cleanup|stats|report`. */
export function addCleanupStatsReport(backup: Command, withCore: WithCore): void {
  backup
    .command('cleanup')
    .description('remove old backups by retention policy; protected ones are never removed')
    .option('--dry-run', 'show the plan, remove nothing')
    .option('--keep-last <n>', 'keep the newest n', int)
    .option('--keep-daily <n>', 'keep one a day for n days', int)
    .option('--keep-weekly <n>', 'keep one a week for n weeks', int)
    .option('--keep-monthly <n>', 'keep one a month for n months', int)
    .option('--max-age-days <n>', 'remove older than n days', int)
    .option('--min-free-space <size>', 'free at least this much, like "5 GB"')
    .option('--yes', 'remove without asking again')
    .option('--json')
    .action((o: Record<string, string | number | boolean | undefined>) =>
      withCore(async (core) => {
        const rules = (['last', 'daily', 'weekly', 'monthly'] as const)
          .map((k) => [k, o[`keep${k[0]!.toUpperCase()}${k.slice(1)}`]] as const)
          .filter(([, n]) => n !== undefined)
          .map(([k, n]) => `keep_${k}_${n}`);
        const plan = await core.call('backupPlaces.cleanup', {
          dry_run: o.dryRun === true,
          ...(rules.length ? { retention_policy: rules } : {}),
          ...(o.maxAgeDays !== undefined ? { max_age_days: o.maxAgeDays } : {}),
          ...(o.minFreeSpace !== undefined ? { min_free_space: o.minFreeSpace } : {}),
        });
        const list = plan.backups_to_remove.map((b) => `${b.id}`).join('\n');
        if (o.dryRun || !plan.backups_to_remove.length) {
          print(o.json as boolean, plan, () => list || 'Nothing to remove.');
          return;
        }
        if (!o.yes)
          throw new RiggerError(
            'VALIDATION_ERROR',
            `This removes ${plan.backups_to_remove.length} backups: ${plan.backups_to_remove.map((b) => b.id).join(', ')}`,
            { cleanup_plan_id: plan.cleanup_plan_id },
            [
              'rigger backup cleanup --yes removes them; rigger backup cleanup --dry-run only looks',
            ],
          );
        const r = await core.call('backupPlaces.cleanupExecute', {
          cleanup_plan_id: plan.cleanup_plan_id,
          confirmation: true,
          wait: true,
        });
        const copies = (r.locations ?? []).map((l) =>
          l.status === 'unreachable'
            ? `  ${l.location}: unreachable (${l.error ?? 'no answer'}); ${l.files_pending} files are removed at the next sync`
            : `  ${l.location}: ${l.files_removed} files removed`,
        );
        print(o.json as boolean, r, () =>
          [`Removed:\n${list}`, ...(copies.length ? ['Copies elsewhere:', ...copies] : [])].join(
            '\n',
          ),
        );
      }),
    );
  backup
    .command('stats')
    .description('backup statistics: counts, sizes, deduplication, per location')
    .option('--period <p>', '24h, 7d, 30d or 90d', '30d')
    .option('--json')
    .action((o: { period: '24h' | '7d' | '30d' | '90d'; json?: boolean }) =>
      withCore(async (core) => {
        const s = await core.call('backupPlaces.statistics', { period: o.period });
        print(o.json, s, () =>
          Object.entries(s.summary)
            .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v}`)
            .join('\n'),
        );
      }),
    );
  backup
    .command('report')
    .description('write a backup report (PDF, HTML or CSV)')
    .requiredOption('--format <f>', 'pdf, html or csv')
    .requiredOption('-o, --output <file>')
    .option('--from <YYYY-MM-DD>')
    .option('--to <YYYY-MM-DD>')
    .action((o: { format: 'pdf' | 'html' | 'csv'; output: string; from?: string; to?: string }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.report', {
          format: o.format,
          output: resolve(o.output),
          ...(o.from ? { start_date: o.from } : {}),
          ...(o.to ? { end_date: o.to } : {}),
        });
        print(false, r, () => `Wrote ${r.path} (${r.size} bytes)`);
      }),
    );
}
