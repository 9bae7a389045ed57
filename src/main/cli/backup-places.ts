import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { WithCore } from './context';
import { print } from './output';
import { addCleanupStatsReport, int } from './backup-places-cleanup';
import { settleJob } from './backup';
import { addTrustCommands } from './backup-trust';
import { parseValue } from './settings';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** `key=value` pairs as an object; values read as JSON when they parse (true, 80), else text. */
function pairs(list: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of list) {
    const i = p.indexOf('=');
    if (i <= 0)
      throw new RiggerError('VALIDATION_ERROR', `"${p}" is not key=value`, { pair: p }, [
        'Like bucket=site-backups or enabled=true',
      ]);
    out[p.slice(0, i)] = parseValue(p.slice(i + 1));
  }
  return out;
}

function addScheduleCommands(backup: Command, withCore: WithCore): void {
  const schedule = backup
    .command('schedule')
    .description('backup schedules (run while Rigger runs)');
  schedule
    .command('list')
    .description('the schedules with their last and next run')
    .option('--json', "print the seed's schedules shape")
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.schedules', {});
        print(
          o.json,
          r,
          () =>
            r.schedules
              .map(
                (s) =>
                  `${s.id}  ${s.enabled ? 'on ' : 'off'}  ${s.frequency === 'cron' ? s.cron : `${s.frequency} ${s.time}`} ${s.timezone}  ${s.type} → ${s.destination}  next ${s.next_execution ?? '-'}  last ${s.last_execution ?? '-'}${s.missed_executions.length ? `  missed ${s.missed_executions.length}` : ''}`,
              )
              .join('\n') || 'No schedules.',
        );
      }),
    );
  schedule
    .command('set <id>')
    .description('create or change a schedule')
    .option('--name <text>')
    .option('--frequency <f>', 'daily, weekly, monthly or cron')
    .option('--time <HH:MM>')
    .option('--timezone <zone>', 'an IANA zone, like Europe/Berlin')
    .option('--cron <expr>', 'with --frequency cron: minute hour day month weekday')
    .option('--day-of-week <0-6>', 'weekly: 0 = Sunday', int)
    .option('--day-of-month <1-31>', 'monthly', int)
    .option('--type <type>', 'full, config, pre-ota or snapshot')
    .option('--retention <n>', 'backups to keep', int)
    .option('--destination <location>')
    .option('--gateway <name>', 'one gateway (default: all)')
    .option('--no-encryption')
    .option('--auto-purge')
    .option('--json')
    .action((id: string, o: Record<string, unknown>) =>
      withCore(async (core) => {
        const req: Record<string, unknown> = { schedule_id: id };
        const map: Record<string, string> = {
          name: 'name',
          frequency: 'frequency',
          time: 'time',
          timezone: 'timezone',
          cron: 'cron',
          dayOfWeek: 'day_of_week',
          dayOfMonth: 'day_of_month',
          type: 'type',
          retention: 'retention_count',
          destination: 'destination',
          gateway: 'gateway',
          autoPurge: 'auto_purge',
        };
        for (const [k, field] of Object.entries(map)) if (o[k] !== undefined) req[field] = o[k];
        if (o.encryption === false) req.encryption = false;
        const r = await core.call('backupPlaces.scheduleUpdate', req);
        print(o.json as boolean, r, () => `${r.schedule_id}: next run ${r.next_execution ?? '-'}`);
      }),
    );
  for (const [name, enabled] of [
    ['enable', true],
    ['disable', false],
  ] as const)
    schedule
      .command(`${name} <id>`)
      .description(enabled ? 'run a schedule again' : 'stop a schedule running (kept, not deleted)')
      .action((id: string) =>
        withCore(async (core) => {
          const r = await core.call('backupPlaces.scheduleToggle', { schedule_id: id, enabled });
          print(false, r, () => `${r.schedule_id}: ${r.message}`);
        }),
      );
}

function addStorageCommands(backup: Command, withCore: WithCore): void {
  const storage = backup.command('storage').description('where backups are kept: local, SFTP, S3');
  storage
    .command('list')
    .description('the storage locations with their health and free space')
    .option('--json', "print the seed's storage shape")
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.storage', {});
        print(o.json, r, () =>
          [
            ...r.storage_locations.map(
              (l) =>
                `${l.id}  ${l.type}  ${l.enabled ? 'enabled ' : 'disabled'}  ${l.health}${l.health_detail ? ` (${l.health_detail})` : ''}${l.used ? `  used ${l.used}` : ''}${l.configuration_required ? '  needs configuration' : ''}`,
            ),
            `${r.summary.total_backups} backups, ${r.summary.total_size}; default ${r.policies.default_location}`,
          ].join('\n'),
        );
      }),
    );
  storage
    .command('set <id> [settings...]')
    .description('change a location: key=value (bucket=…, enabled=true, credentials_ref=…)')
    .option('--policy <key=value>', 'a storage policy (repeatable)', collect)
    .action((id: string, settings: string[], o: { policy?: string[] }) =>
      withCore(async (core) => {
        const req: Record<string, unknown> = {};
        if (settings.length) req.storage_locations = { [id]: pairs(settings) };
        if (o.policy?.length) req.policies = pairs(o.policy);
        const r = await core.call('backupPlaces.storageUpdate', req);
        print(false, r, () => r.message);
      }),
    );
  storage
    .command('backups <location>')
    .description('backups a location holds that this laptop does not (bring back with sync)')
    .option('--json')
    .action((location: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.storageBackups', { location });
        print(o.json, r, () =>
          r.backups.length
            ? r.backups
                .map(
                  (b) =>
                    `${b.id}  ${b.gateway}  ${b.type}  ${b.created_at}${b.signature_valid ? '' : '  (not signed by this site)'}`,
                )
                .join('\n')
            : `${location} holds nothing this laptop lacks.`,
        );
      }),
    );
  storage
    .command('sync')
    .description('copy backups to another location and read them back')
    .requiredOption('--to <location>')
    .option('--from <location>', 'source location', 'local')
    .option('--backup <id>', 'a backup to copy (repeatable; default all)', collect)
    .option('--no-verify', 'do not read back and compare hashes')
    .option('--json')
    .action((o: { to: string; from: string; backup?: string[]; verify: boolean; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.storageSync', {
          source: o.from,
          destination: o.to,
          backup_ids: o.backup?.length ? o.backup : ['all'],
          verify_after_sync: o.verify,
          wait: true,
        });
        const results = (r.results ?? []) as { backup_id: string; status: string }[];
        print(
          o.json,
          r,
          () => results.map((x) => `${x.backup_id}: ${x.status}`).join('\n') || 'Nothing to copy.',
        );
        if (results.some((x) => x.status === 'failed'))
          throw new RiggerError('VALIDATION_ERROR', `Some backups were not copied to ${o.to}`);
      }),
    );
}

/** `rigger backup schedule|storage|import|export-config|cleanup|stats|report` under `backup`. */
export function addBackupPlacesCommands(backup: Command, withCore: WithCore): void {
  addScheduleCommands(backup, withCore);
  addStorageCommands(backup, withCore);
  addTrustCommands(backup, withCore);
  backup
    .command('import <file>')
    .description('take in a backup file made by another Rigger')
    .option('--validate-only', 'check it and import nothing')
    .option('--auto-restore', 'then recover its gateway from it (disaster recovery)')
    .option('--yes', 'the recovery is confirmed (with --auto-restore)')
    .option('--json')
    .action(
      (
        file: string,
        o: { validateOnly?: boolean; autoRestore?: boolean; yes?: boolean; json?: boolean },
      ) =>
        withCore(async (core) => {
          const path = resolve(file);
          if (o.validateOnly) {
            const v = await core.call('backupPlaces.importValidate', { file: path });
            print(o.json, v, () =>
              [
                `format ${v.validation.file_format}, signature ${v.validation.signature}, ${v.validation.version_compatibility}, ${v.validation.checksum}`,
                ...v.warnings.map((w) => `warning: ${w}`),
              ].join('\n'),
            );
            return;
          }
          const r = await core.call('backupPlaces.import', {
            file: path,
            ...(o.autoRestore ? { auto_restore: true, confirmation: o.yes === true } : {}),
          });
          const auto = r.auto_restore;
          print(o.json, r, () =>
            [
              r.imported ? `Imported ${r.backup_info.id}` : r.reason!,
              ...r.warnings,
              ...(auto?.status === 'recovery_started'
                ? [`Recovery of ${auto.gateway} started: job ${auto.job_id}`]
                : auto
                  ? [`No recovery: ${auto.reason}`]
                  : []),
            ].join('\n'),
          );
          // The recovery runs in this process: the command waits for it to end.
          if (auto?.job_id) await settleJob(core, auto.job_id, 'Recovery');
          if (!r.imported)
            throw new RiggerError('VALIDATION_ERROR', r.reason ?? 'Nothing imported', {
              validation_results: r.validation_results,
            });
        }),
    );
  backup
    .command('export-config <gateway>')
    .description("write a gateway's configuration as JSON (secrets left out)")
    .requiredOption('-o, --output <file>')
    .action((gateway: string, o: { output: string }) =>
      withCore(async (core) => {
        const r = await core.call('backupPlaces.exportConfig', {
          gateway,
          output: resolve(o.output),
        });
        print(false, r, () => `Wrote ${r.written_to}`);
      }),
    );
  addCleanupStatsReport(backup, withCore);
}

/** Add the commands to `rigger backup`, making that command if no other area has yet. */
export function registerBackupPlacesCommands(program: Command, withCore: WithCore): void {
  const backup =
    program.commands.find((c) => c.name() === 'backup') ??
    program.command('backup').description('backups of the gateways');
  addBackupPlacesCommands(backup, withCore);
}
