import { RiggerError } from '../../shared/errors';
import type { Command } from 'commander';
import { jobName } from '../../shared/format/job-name';
import type { Job } from '../../shared/jobs';
import type { Core } from '../core/core';
import type { WithCore } from './context';
import { followJob } from './job-wait';
import { connectsToGateway } from './host-key';
import { asSlot, asWhole } from './options';
import { print } from './output';
import { table } from './table';
import { showChosenWay } from './update-plan';

/** --json given to this command or its parent (`jobs --json resume X` works too). */
export const jsonOf = (cmd: Command) => cmd.optsWithGlobals<{ json?: boolean }>().json;

/** Follow a job to its end; exit with its error when it did not end as wanted. */
const finish = (core: Core, id: string, json: boolean | undefined, ok: string[]) =>
  followJob(core, id, json, ok, 'Writing');

/** The jobs as columns, each named as the Jobs page names it. */
const jobTable = (list: Job[]) =>
  table(
    ['ID', 'GATEWAY', 'JOB', 'STATUS', 'DONE', ''],
    list.map((j) => [
      j.id,
      j.gateway,
      jobName(j),
      j.status,
      `${j.progress}%`,
      j.resumable ? `resumable: rigger jobs resume ${j.id}` : '',
    ]),
  );

/** The last line of a flash: what is now where. */
const flashed = (
  version: string,
  slot: string,
  installed: boolean,
  gateway: string,
  job: string,
) =>
  installed
    ? `${version} is installed in slot ${slot} of ${gateway}, booted and committed`
    : `${version} is written to slot ${slot} of ${gateway} and verified; install it with: rigger install ${gateway} --job ${job}`;

/** `rigger flash|install|jobs|history`: writing images and following their jobs. */
export function registerUpdateCommands(program: Command, withCore: WithCore): void {
  connectsToGateway(program.command('flash <gateway>'))
    .description("write an image into the gateway's inactive slot, reboot into it and commit")
    .requiredOption('--image <idOrVersion>', 'image id or version from the library')
    .option('--slot <slot>', 'target slot (must not be the booted one)', asSlot)
    .option('--no-reboot', 'write and verify only; install later with `rigger install`')
    .option('--snapshot', "keep a snapshot of the gateway's data paths before switching")
    .option('--allow-unsigned', 'write an unsigned image (audited)')
    .option(
      '--reboot-delay <s>',
      'seconds before the reboot',
      asWhole('--reboot-delay', 0, 3600),
      5,
    )
    .option('--outside-window', 'install although the maintenance window is closed (audited)')
    .option('--via <way>', 'a gateway on its console port: tftp (U-Boot network) or ymodem')
    .option(
      '--tftp-port <port>',
      "a gateway on its console port: the laptop's TFTP port (default: 69 where Rigger may bind it, else 6969)",
      asWhole('--tftp-port', 1, 65535),
    )
    .option('--json', 'print JSON')
    .action(
      (
        gateway: string,
        o: {
          via?: string;
          tftpPort?: number;
          outsideWindow?: boolean;
          image: string;
          slot?: 'A' | 'B';
          reboot: boolean;
          snapshot?: boolean;
          allowUnsigned?: boolean;
          rebootDelay: number;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          const { slot, rebootDelay } = o;
          const g = await core.call('gateways.get', { name: gateway });
          if (o.via && g.connection.type !== 'serial') {
            throw new RiggerError(
              'VALIDATION_ERROR',
              `--via is for a gateway registered by its console port; ${gateway} is reached over SSH`,
              { gateway, via: o.via },
            );
          }
          if (g.connection.type === 'serial') {
            // On a serial console the slot is written at U-Boot, chunk by chunk (TFTP or YMODEM).
            const r = await core.call('console.flashGateway', {
              gateway,
              image_id: o.image,
              ...(slot ? { slot } : {}),
              allow_unsigned: !!o.allowUnsigned,
              ...(o.via ? { via: o.via } : {}),
              ...(o.tftpPort ? { tftp_port: o.tftpPort } : {}),
            });
            if (!o.json)
              process.stderr.write(
                `Job ${r.job_id} writes slot ${r.slot} over ${g.connection.port}\n`,
              );
            const { job } = await finish(core, r.job_id, o.json, ['success']);
            if (!o.json)
              process.stdout.write(
                `${job.update?.version ?? o.image} is written to slot ${r.slot} of ${gateway}\n`,
              );
            return;
          }
          const install = o.reboot
            ? {
                reboot_delay: rebootDelay,
                verify_installation: true,
                create_snapshot: !!o.snapshot,
              }
            : null;
          // The job plans its way (full raw, full gzip, delta) before it writes: show it then.
          const offPlan = o.json ? () => undefined : showChosenWay(core, gateway);
          const started = await core.call('updates.flash', {
            gateway,
            update_id: o.image,
            target_partition: slot,
            background: false,
            verify_signature: true,
            verify_checksum: true,
            allow_unsigned: !!o.allowUnsigned,
            user: process.env.USER ?? 'cli',
            install,
            confirm_outside_window: !!o.outsideWindow,
          });
          if (!o.json)
            process.stderr.write(
              `Job ${started.job_id} writes ${started.update.version} to slot ${started.target_partition}\n`,
            );
          const { job } = await finish(
            core,
            started.job_id,
            o.json,
            install ? ['success'] : ['downloaded'],
          ).finally(offPlan);
          if (!o.json)
            process.stdout.write(
              flashed(
                started.update.version,
                started.target_partition,
                !!install,
                gateway,
                job.id,
              ) + '\n',
            );
        }),
    );
  connectsToGateway(program.command('install <gateway>'))
    .description('install (switch to, reboot into, commit) an image a job has written')
    .requiredOption('--job <id>')
    .option(
      '--reboot-delay <s>',
      'seconds before the reboot',
      asWhole('--reboot-delay', 0, 3600),
      5,
    )
    .option('--outside-window', 'install although the maintenance window is closed (audited)')
    .option('--json', 'print JSON')
    .action(
      (
        _gateway: string,
        o: { job: string; rebootDelay: number; outsideWindow?: boolean; json?: boolean },
      ) =>
        withCore(async (core) => {
          await core.call('updates.install', {
            job_id: o.job,
            reboot_delay: o.rebootDelay,
            confirm_outside_window: !!o.outsideWindow,
          });
          await finish(core, o.job, o.json, ['success']);
        }),
    );
  const jobs = program
    .command('jobs')
    .description('update jobs: list, cancel, resume')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const list = await core.call('jobs.list', { limit: 100 });
        print(o.json, list, () => (list.jobs.length ? jobTable(list.jobs) : 'No jobs yet.'));
      }),
    );
  jobs
    .command('cancel <id>')
    .description("cancel a job (before the switch; after it, the gateway's own rollback decides)")
    .option('--reason <r>', 'why', 'User requested cancellation')
    .option('--no-cleanup', 'leave the partial data in the slot')
    .option('--json', 'print JSON')
    .action((id: string, o: { reason: string; cleanup: boolean }, cmd: Command) =>
      withCore(async (core) => {
        const json = jsonOf(cmd);
        const r = await core.call('jobs.cancel', {
          job_id: id,
          reason: o.reason,
          cleanup: o.cleanup,
        });
        print(
          json,
          r,
          () =>
            `${r.message}; cleanup ${r.cleanup_performed ? 'done' : 'not done'}${r.can_restart ? '; the image can be flashed again' : ''}`,
        );
      }),
    );
  jobs
    .command('resume <id>')
    .description('resume an interrupted job from its last proven point')
    .option('--json', 'print JSON')
    .action((id: string, _o: unknown, cmd: Command) =>
      withCore(async (core) => {
        const before = await core.call('jobs.outcome', { job_id: id });
        await core.call('jobs.resume', { job_id: id });
        await finish(
          core,
          id,
          jsonOf(cmd),
          before.installs ? ['success'] : ['downloaded', 'success'],
        );
      }),
    );
  program
    .command('history [gateway]')
    .description('past updates with statistics')
    .option('--json', 'print JSON')
    .action((gateway: string | undefined, o: { json?: boolean }) =>
      withCore(async (core) => {
        const h = await core.call('history.updates', { gateway, limit: 100 });
        print(o.json, h, () =>
          [
            ...h.history.map(
              (e) =>
                `${e.date} ${e.time} ${e.gateway.padEnd(12)} ${e.version.padEnd(12)} slot ${e.partition} ${e.status.padEnd(9)} ${e.duration.padEnd(6)}${e.rollback ? ' ROLLBACK' : ''}${e.error ? ` ${e.error}` : ''}`,
            ),
            `${h.statistics.total_updates} updates, ${h.statistics.success_rate} successful, average ${h.statistics.average_duration}`,
          ].join('\n'),
        );
      }),
    );
}
