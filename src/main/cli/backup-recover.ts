import type { Command } from 'commander';
import { settleJob } from './backup';
import { confirmRecovery, ensurePassphrase } from './backup-prompt';
import type { WithCore } from './context';
import { print } from './output';

const list = (v: string) => v.split(',').filter(Boolean);

/** `rigger backup snapshot …` and `rigger backup recover …`. */
export function registerBackupRecoverCommands(backup: Command, withCore: WithCore): void {
  const snapshot = backup
    .command('snapshot')
    .description('configuration snapshots by component, with tags');
  snapshot
    .command('create <gateway>')
    .description('a configuration snapshot of chosen components, with tags')
    .requiredOption('--name <name>', 'a name')
    .option('--components <list>', 'comma-separated components', list, ['config'])
    .option('--tags <list>', 'comma-separated tags', list, [])
    .option('--description <d>', 'what it is for', '')
    .option('--settings', "also Rigger's own settings for this gateway")
    .option('--data', 'also the data component')
    .option('--json', 'print JSON')
    .action(
      (
        gateway: string,
        o: {
          name: string;
          components: string[];
          tags: string[];
          description: string;
          settings?: boolean;
          data?: boolean;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          await ensurePassphrase();
          const r = await core.call('backup.snapshotCreate', {
            gateway,
            name: o.name,
            description: o.description,
            tags: o.tags,
            components: o.components,
            include_settings: !!o.settings,
            include_data: !!o.data,
          });
          print(o.json, r, () => `Snapshot ${r.snapshot_id} (${r.name}): ${r.size}`);
        }),
    );
  snapshot
    .command('list')
    .description('the configuration snapshots, newest first')
    .option('--gateway <name>', "only this gateway's")
    .option('--json', 'print JSON')
    .action((o: { gateway?: string; json?: boolean }) =>
      withCore(async (core) => {
        await ensurePassphrase();
        const l = await core.call('backup.snapshots', { gateway: o.gateway });
        print(o.json, l, () =>
          [
            ...l.snapshots.map(
              (s) =>
                `${s.id}  ${s.created_at}  ${s.size}  [${s.tags.join(', ')}]  ${s.name}  (${s.components.join(', ')})`,
            ),
            `${l.total} snapshot(s), ${l.active} active`,
          ].join('\n'),
        );
      }),
    );
  snapshot
    .command('restore <snapshot>')
    .description('restore a configuration snapshot onto its gateway (a backup is taken first)')
    .option('--components <list>', 'only these components', list)
    .option('--no-backup', 'skip the pre-restore backup')
    .option('--reason <r>', 'why', '')
    .option('--json', 'print JSON')
    .action(
      (id: string, o: { components?: string[]; backup: boolean; reason: string; json?: boolean }) =>
        withCore(async (core) => {
          await ensurePassphrase();
          const r = await core.call('backup.snapshotRestore', {
            snapshot_id: id,
            components: o.components,
            create_backup: o.backup,
            reason: o.reason,
          });
          if (!o.json && r.pre_restore_backup_id)
            process.stderr.write(`Backup first: ${r.pre_restore_backup_id}\n`);
          await settleJob(core, r.restore_id, 'Restore');
          const p = await core.call('restore.progress', { restore_id: r.restore_id });
          print(o.json, p, () => `Restore ${r.restore_id}: ${p.status}`);
        }),
    );
  backup
    .command('recover <gateway> <backup>')
    .description('disaster recovery from a backup: --preview shows what changes, --yes runs it')
    .option('--preview', 'only compare the backup with the gateway')
    .option('--type <t>', 'full, data, config', 'full')
    .option('--components <list>', 'only these components', list)
    .option('--no-backup', 'skip the pre-recovery backup')
    .option('--reason <r>', 'why (recorded)', '')
    .option('--yes', 'confirmed (the seed\'s "confirmation": true)')
    .option('--json', 'print JSON')
    .action(
      (
        gateway: string,
        id: string,
        o: {
          preview?: boolean;
          type: string;
          components?: string[];
          backup: boolean;
          reason: string;
          yes?: boolean;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          await ensurePassphrase();
          const p = await core.call('recovery.preview', {
            backup_id: id,
            recovery_type: o.type,
            gateway,
          });
          const human = () =>
            [
              `Recovery of ${gateway} from ${p.backup_name} (${p.backup_id})`,
              `Affected: ${p.impact_analysis.components_affected.join(', ') || 'nothing differs'}`,
              `Estimated downtime: ${p.impact_analysis.estimated_downtime}; data loss risk: ${p.impact_analysis.data_loss_risk}`,
              ...p.warnings.map((w) => `! ${w}`),
              ...p.recommendations.map((r) => `- ${r}`),
            ].join('\n');
          if (o.preview) return print(o.json, p, human);
          if (!o.json) process.stderr.write(`${human()}\n`);
          await confirmRecovery(gateway, o.yes);
          const r = await core.call('recovery.initiate', {
            backup_id: id,
            recovery_type: o.type,
            module_filter: o.components ?? null,
            create_pre_recovery_snapshot: o.backup,
            reason: o.reason,
            confirmation: true,
          });
          if (!o.json && r.pre_recovery_snapshot_id)
            process.stderr.write(`Backup first: ${r.pre_recovery_snapshot_id}\n`);
          await settleJob(core, r.recovery_id, 'Recovery');
          const end = await core.call('restore.progress', { restore_id: r.recovery_id });
          print(o.json, end, () => `Recovery ${r.recovery_id}: ${end.status}`);
        }),
    );
}
