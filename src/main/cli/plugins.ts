import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { OtaStartResponse } from '../../shared/plugins';
import type { Core } from '../core/core';
import type { WithCore } from './context';
import { print } from './output';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ENDED = new Set(['complete', 'error', 'not_found']);

/** Follow an operation: its terminal lines as they come (not with --json), then its end. */
async function follow(core: Core, start: OtaStartResponse, json?: boolean): Promise<void> {
  const update_id = start.update_id;
  let from = 0;
  for (;;) {
    const t = await core.call('plugins.terminal', { update_id, from });
    if (!json)
      for (const l of t.lines)
        process.stdout.write(`${l.stream === 'rigger' ? '» ' : ''}${l.line}\n`);
    from = t.next;
    if (ENDED.has(t.status)) break;
    await sleep(t.lines.length ? 50 : 250);
  }
  const end = await core.call('plugins.progress', { update_id });
  if (json) print(true, { update_id, ...end }, () => '');
  if (end.status !== 'complete')
    throw new RiggerError('COMMAND_FAILED', end.error ?? 'The operation failed', { update_id });
}

/** `rigger plugins list|install|rollback|configure`: plugin ZIPs on a gateway (contract section 6). */
export function registerPluginCommands(program: Command, withCore: WithCore): void {
  const plugins = program.command('plugins').description("the gateway's plugins");
  plugins
    .command('list <gateway>')
    .description('plugins with their active and previous version')
    .option('--json', 'print JSON')
    .action((gateway: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const list = await core.call('plugins.list', { gateway });
        print(o.json, list, () =>
          list.length
            ? list
                .map(
                  (p) =>
                    `${p.name.padEnd(24)} ${(p.active_version ?? '-').padEnd(12)} previous ${(p.previous_version ?? '-').padEnd(12)} ${p.fits_model ? 'fits' : 'DOES NOT FIT'} ${p.state}`,
                )
                .join('\n')
            : 'No plugins',
        );
      }),
    );
  for (const [name, description] of [
    ['install', 'check a plugin ZIP here, then stage, prove, activate and restart it'],
    ['configure', "put a configure ZIP's files in the gateway's OTA config folder"],
  ] as const)
    plugins
      .command(`${name} <gateway> <zip>`)
      .description(description)
      .option('--unsigned', 'accept a ZIP without a trusted signature (recorded in the audit log)')
      .option('--json', 'print JSON')
      .action((gateway: string, zip: string, o: { unsigned?: boolean; json?: boolean }) =>
        withCore(async (core) => {
          const input = { gateway, zip_path: zip, unsigned: !!o.unsigned };
          await follow(core, await core.call(`plugins.${name}`, input), o.json);
        }),
      );
  plugins
    .command('rollback <gateway> <name>')
    .description('make the previous version of a plugin active again')
    .option('--json', 'print JSON')
    .action((gateway: string, name: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        await follow(core, await core.call('plugins.rollback', { gateway, name }), o.json);
      }),
    );
}
