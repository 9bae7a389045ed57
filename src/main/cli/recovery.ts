import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import { ask } from './ask';
import type { WithCore } from './context';
import { followJob } from './job-wait';
import { connectsToGateway } from './host-key';
import { asChoice, asSlot, asWhole } from './options';
import { print } from './output';
import { readPin } from './safety';
import { jsonOf } from './updates';

/** On a terminal, the gateway's name typed back; in scripts, --yes-i-am-sure GATEWAY. */
async function confirmName(gateway: string, given?: string): Promise<void> {
  if (given !== undefined) {
    if (given !== gateway) {
      throw new RiggerError('VALIDATION_ERROR', `--yes-i-am-sure must name ${gateway}`, {}, []);
    }
    return;
  }
  if (!process.stdin.isTTY) {
    throw new RiggerError('VALIDATION_ERROR', 'A factory reset needs confirmation', {}, [
      `Run on a terminal, or confirm in the command: rigger factory-reset ${gateway} --reason … --yes-i-am-sure ${gateway}`,
    ]);
  }
  const typed = await ask(`ALL DATA ON ${gateway} WILL BE LOST. Type its name to confirm: `);
  if (typed !== gateway) {
    throw new RiggerError('VALIDATION_ERROR', 'The name typed does not match: nothing was done');
  }
}

/**
 * `rigger rollback|snapshot|restore|factory-reset|recovery|monitor`: recovery over SSH
 * (`recovery-status` and `monitor-status` are aliases).
 */
export function registerRecoveryCommands(program: Command, withCore: WithCore): void {
  connectsToGateway(program.command('recovery <gateway>'))
    .alias('recovery-status')
    .description('recovery image, snapshots held, and whether a rollback is possible')
    .option('--checksum', 'hash the recovery slot (reads all of it)')
    .option('--json', 'print JSON')
    .action((gateway: string, o: { checksum?: boolean; json?: boolean }) =>
      withCore(async (core) => {
        const s = await core.call('recovery.status', { gateway, checksum: !!o.checksum });
        print(o.json, s, () =>
          [
            `Recovery image: ${s.recovery_image.present ? `present, ${s.recovery_image.size ?? 'size unknown'}${s.recovery_image.checksum ? `, ${s.recovery_image.checksum}` : ''}` : 'none'}`,
            `Rollback: ${s.rollback.available ? `to slot ${s.rollback.to_slot} (${s.rollback.to_version})` : `not possible: ${s.rollback.reason}`}`,
            `Snapshots (${s.snapshots.length}):`,
            ...s.snapshots.map(
              (n) => `  ${n.id}  ${n.timestamp}  ${n.version ?? '?'}  ${n.size}  ${n.name}`,
            ),
          ].join('\n'),
        );
      }),
    );
  connectsToGateway(program.command('rollback <gateway>'))
    .description('switch back to the other slot (its image proven first), reboot, verify, commit')
    .requiredOption('--reason <r>', 'why (recorded)')
    .option('--slot <slot>', 'the slot to go back to (default: the other one)', asSlot)
    .option('--diagnostic', 'capture a debug bundle first')
    .option(
      '--reboot-delay <s>',
      'seconds before the reboot',
      asWhole('--reboot-delay', 0, 3600),
      5,
    )
    .option('--json', 'print JSON')
    .action(
      (
        gateway: string,
        o: {
          reason: string;
          slot?: 'A' | 'B';
          diagnostic?: boolean;
          rebootDelay: number;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          const { slot } = o;
          const r = await core.call('recovery.rollback', {
            gateway,
            reason: o.reason,
            action: slot === 'A' ? 'rollback_to_a' : slot === 'B' ? 'rollback_to_b' : 'rollback',
            create_diagnostic_report: !!o.diagnostic,
            reboot_delay: o.rebootDelay,
          });
          if (!o.json)
            process.stderr.write(
              `Rolling back ${r.from_version ?? '?'} → ${r.to_version ?? '?'} (job ${r.rollback_id})\n`,
            );
          await followJob(core, r.rollback_id, o.json, ['success'], 'Rolling back');
        }),
    );
  const snapshot = program
    .command('snapshot')
    .description(
      'snapshots of a gateway: kept as backups now (the same as `rigger backup create`; see `rigger backup list`)',
    );
  connectsToGateway(snapshot.command('create <gateway>'))
    .description("back up a gateway's data paths (and with --slot its booted image), verified")
    .option('--name <n>', 'a short name', 'snapshot')
    .option('--description <d>', 'what it is for', '')
    .option('--slot', "also the booted slot's image (proven against its record)")
    .option('--json', 'print JSON')
    .action(
      (gateway: string, o: { name: string; description: string; slot?: boolean }, cmd: Command) =>
        withCore(async (core) => {
          const s = await core.call('monitor.snapshot', {
            gateway,
            name: o.name,
            description: o.description,
            include_slot: !!o.slot,
          });
          await followJob(core, s.job_id, jsonOf(cmd), ['success'], 'Snapshot');
          if (!jsonOf(cmd))
            process.stderr.write(
              `Snapshot kept as backup ${s.snapshot_id} (rigger backup show ${s.snapshot_id})\n`,
            );
        }),
    );
  snapshot
    .command('list [gateway]')
    .description('the snapshots (backups) held, newest first')
    .option('--json', 'print JSON')
    .action((gateway: string | undefined, _o: unknown, cmd: Command) =>
      withCore(async (core) => {
        const l = await core.call('snapshots.list', { gateway });
        print(jsonOf(cmd), l, () =>
          l.snapshots.length
            ? l.snapshots
                .map(
                  (n) =>
                    `${n.id}  ${n.gateway}  ${n.timestamp}  ${n.version ?? '?'}  ${n.size}  ${n.name}`,
                )
                .join('\n')
            : 'No snapshots.',
        );
      }),
    );
  const restore = (c: Command) =>
    c
      .description(
        'restore a snapshot (a backup): read it back whole, put its data paths back (each proven before it replaces the live one), and boot its system image when the gateway runs another (written into the inactive slot); the same as `rigger backup recover`',
      )
      .option('--slot <slot>', 'the slot for its image (default: the inactive one)', asSlot)
      .option('--no-slot-image', 'leave the slot image out (data paths only)')
      .option('--no-data', 'leave the data paths out (slot image only)')
      .option('--json', 'print JSON')
      .action(
        (
          gateway: string,
          snapshotId: string,
          o: { slot?: 'A' | 'B'; slotImage: boolean; data: boolean },
          cmd: Command,
        ) =>
          withCore(async (core) => {
            const { slot } = o;
            const r = await core.call('recovery.restore', {
              gateway,
              snapshot_id: snapshotId,
              ...(slot ? { target_partition: slot } : {}),
              restore_slot: o.slotImage,
              restore_data: o.data,
            });
            await followJob(core, r.restore_id, jsonOf(cmd), ['success'], 'Restoring');
          }),
      );
  restore(connectsToGateway(snapshot.command('restore <gateway> <snapshotId>')));
  restore(connectsToGateway(program.command('restore <gateway> <snapshotId>')));
  connectsToGateway(program.command('factory-reset <gateway>'))
    .description('emergency backup, then the factory reset (PIN; type the name to confirm)')
    .requiredOption('--reason <r>', 'why (recorded)')
    .option(
      '--type <t>',
      'complete | config_only',
      asChoice('--type', ['complete', 'config_only'] as const),
      'complete' as const,
    )
    .option('--no-backup', 'skip the emergency backup of the configuration')
    .option('--yes-i-am-sure <gateway>', 'confirm without a terminal by naming the gateway')
    .option('--json', 'print JSON')
    .action(
      (
        gateway: string,
        o: {
          reason: string;
          type: 'complete' | 'config_only';
          backup: boolean;
          yesIAmSure?: string;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          await confirmName(gateway, o.yesIAmSure);
          const pin = await readPin('PIN: ');
          const r = await core.call('recovery.factory', {
            gateway,
            pin,
            confirm: true,
            reset_type: o.type,
            backup_config: o.backup,
            reason: o.reason,
          });
          if (!o.json && r.backup_location)
            process.stderr.write(`Emergency backup: ${r.backup_location}\n`);
          await followJob(core, r.reset_id, o.json, ['success'], 'Factory reset');
        }),
    );
  connectsToGateway(program.command('monitor <gateway>'))
    .alias('monitor-status')
    .description("Rigger's jobs on a gateway, its health and resources")
    .option('--json', 'print JSON')
    .action((gateway: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const m = await core.call('monitor.status', { gateway });
        print(o.json, m, () =>
          [
            `Status: ${m.system_status} (${m.current_operation}); ${m.active_jobs} active, ${m.queued_jobs} queued`,
            `Health: system ${m.health.system}, partitions ${m.health.partitions}, recovery ${m.health.recovery}, safety ${m.health.safety}`,
            `Free: disk ${m.resources.disk_free ?? '?'}, memory ${m.resources.memory_free ?? '?'}; CPU idle ${m.resources.cpu_idle ?? '?'}%`,
          ].join('\n'),
        );
      }),
    );
}
