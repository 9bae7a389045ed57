import type { Command } from 'commander';
import type { Rollout } from '../../shared/fleet-ota';
import type { Core } from '../core/core';
import { openCore, type GlobalOptions, type WithCore } from './context';
import { print } from './output';

const ENDED = new Set(['finished', 'paused', 'cancelled']);

/** A rollout as waves, each device with its state (the text `rollout status` prints). */
export function rolloutText(r: Rollout): string {
  return [
    `Rollout ${r.rollout_id}: ${r.target_version} to ${r.device_type}, ${r.status}` +
      (r.paused_reason ? ` (${r.paused_reason})` : ''),
    `  first wave ${r.rollout_percentage}%, go on at ${r.success_threshold}% success, pause at ${r.error_threshold}% failed`,
    ...(r.schedule ? [`  starts ${r.schedule}`] : []),
    ...r.waves.flatMap((w) => [
      `  wave ${w.index + 1}: ${w.status}`,
      ...w.targets.map(
        (t) =>
          `    ${t.device_id.padEnd(20)} ${t.status.padEnd(10)}${t.reason ? ` ${t.reason}` : ''}`,
      ),
    ]),
  ].join('\n');
}

/**
 * Follow a rollout in this process until it finishes, pauses or is cancelled. A one-shot command
 * does not drive rollouts (the app and `rigger serve` do); `--wait` opens a core that does.
 */
async function follow(core: Core, id: string, json?: boolean): Promise<Rollout> {
  let last = '';
  for (;;) {
    const r = await core.call('rollouts.get', { rollout_id: id });
    const line = r.waves
      .map((w) => `${w.index + 1}:${w.targets.map((t) => t.status).join(',')}`)
      .join(' ');
    if (!json && line !== last) process.stderr.write(`${r.status} ${line}\n`);
    last = line;
    if (ENDED.has(r.status)) return r;
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** `rigger rollout …`: batch updates in waves (the seed's batch-update, with hawkBit's gates). */
export function registerRolloutCommands(
  program: Command,
  withCore: WithCore,
  onError: (err: unknown, json?: boolean) => void,
): void {
  /** Run with a core that drives rollouts when `--wait` asks for it. */
  const withDriver = async (
    wait: boolean | undefined,
    json: boolean | undefined,
    fn: (core: Core) => Promise<void>,
  ) => {
    if (!wait) return withCore(fn);
    let core: Core | undefined;
    try {
      core = openCore(program.opts<GlobalOptions>(), 'cli', { runRollouts: true });
      await fn(core);
    } catch (err) {
      onError(err, json);
    } finally {
      await core?.close();
    }
  };
  const rollout = program.command('rollout').description('update a device type in waves');
  rollout
    .command('create')
    .description('start a rollout of a version to a device type, in waves')
    .requiredOption('--type <type>', 'the device type')
    .requiredOption('--target <version>', 'the firmware version to install')
    .requiredOption('--percentage <n>', "the first wave's share of the devices", Number)
    .option('--groups <n>', 'waves after the first', Number)
    .option('--success-threshold <n>', 'percent of a wave that must succeed to go on', Number)
    .option('--error-threshold <n>', 'percent of a wave failed that pauses the rollout', Number)
    .option('--schedule <time>', 'when the first wave may start (ISO-8601)')
    .option('--devices <list>', 'only these devices (comma-separated)')
    .option('--wait', 'drive it from here until it finishes or pauses')
    .option('--json', 'print JSON')
    .action(
      (o: {
        type: string;
        target: string;
        percentage: number;
        groups?: number;
        successThreshold?: number;
        errorThreshold?: number;
        schedule?: string;
        devices?: string;
        wait?: boolean;
        json?: boolean;
      }) =>
        withDriver(o.wait, o.json, async (core) => {
          let r = await core.call('ota.batchUpdate', {
            device_type: o.type,
            target_version: o.target,
            rollout_percentage: o.percentage,
            groups: o.groups,
            success_threshold: o.successThreshold,
            error_threshold: o.errorThreshold,
            schedule: o.schedule,
            device_ids: o.devices?.split(',').filter(Boolean),
          });
          if (o.wait) r = await follow(core, r.rollout_id, o.json);
          print(o.json, r, () =>
            o.wait
              ? rolloutText(r)
              : `${rolloutText(r)}\nThe app or rigger serve runs it (or: rigger rollout resume ${r.rollout_id} --wait)`,
          );
        }),
    );
  rollout
    .command('status [id]')
    .description('one rollout as waves, or every rollout')
    .option('--json', 'print JSON')
    .action((id: string | undefined, o: { json?: boolean }) =>
      withCore(async (core) => {
        if (id) {
          const r = await core.call('rollouts.get', { rollout_id: id });
          return print(o.json, r, () => rolloutText(r));
        }
        const all = await core.call('rollouts.list', {});
        print(o.json, all, () =>
          all.rollouts.length
            ? all.rollouts
                .map(
                  (r) =>
                    `${r.rollout_id}  ${r.status.padEnd(9)} ${r.target_version} to ${r.device_type}`,
                )
                .join('\n')
            : 'No rollouts: rigger rollout create',
        );
      }),
    );
  const VERB_WORDS = {
    pause: 'stop starting new devices; those updating finish',
    resume: 'go on with the next devices and waves',
    cancel: 'end the rollout: devices not started are left out, running updates finish',
  } as const;
  for (const [verb, op] of [
    ['pause', 'rollouts.pause'],
    ['resume', 'rollouts.resume'],
    ['cancel', 'rollouts.cancel'],
  ] as const) {
    const cmd = rollout
      .command(`${verb} <id>`)
      .description(VERB_WORDS[verb])
      .option('--json', 'print JSON');
    if (verb === 'resume') cmd.option('--wait', 'drive it from here until it ends or pauses');
    cmd.action((id: string, o: { json?: boolean; wait?: boolean }) =>
      withDriver(o.wait, o.json, async (core) => {
        let r = await core.call(op, { rollout_id: id });
        if (o.wait) r = await follow(core, id, o.json);
        print(o.json, r, () => rolloutText(r));
      }),
    );
  }
  rollout
    .command('skip <id> <device>')
    .description('leave one device out of the rollout')
    .option('--json', 'print JSON')
    .action((id: string, device: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('rollouts.skip', { rollout_id: id, device_id: device });
        print(o.json, r, () => rolloutText(r));
      }),
    );
}
