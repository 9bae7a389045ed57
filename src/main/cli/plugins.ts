import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { OtaStartResponse } from '../../shared/plugins';
import type { Core } from '../core/core';
import type { PluginsArea } from '../core/plugins/area';
import type { WithCore } from './context';
import { print } from './output';

/** How a command reaches the plugins area of an open core (given by the composition root). */
export type AreaOf = (core: Core) => PluginsArea;

/** Follow an operation: its terminal lines as they come (not with --json), then its end. */
async function follow(area: PluginsArea, start: OtaStartResponse, json?: boolean): Promise<void> {
  const terminal = area.plugins.terminal(start.update_id);
  if (terminal && !json)
    for await (const l of terminal)
      process.stdout.write(`${l.stream === 'rigger' ? '» ' : ''}${l.line}\n`);
  const end = await area.plugins.wait(start.update_id);
  if (json) print(true, { update_id: start.update_id, ...end }, () => '');
  if (end.status === 'error')
    throw new RiggerError('COMMAND_FAILED', end.error ?? 'The operation failed', {
      update_id: start.update_id,
    });
}

/** `rigger plugins list|install|rollback|configure`: plugin ZIPs on a gateway (contract section 6). */
export function registerPluginCommands(program: Command, withCore: WithCore, areaOf: AreaOf): void {
  const plugins = program.command('plugins').description("the gateway's plugins");
  plugins
    .command('list <gateway>')
    .description('plugins with their active and previous version')
    .option('--json', 'print JSON')
    .action((gateway: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const list = await areaOf(core).plugins.list(gateway);
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
  plugins
    .command('install <gateway> <zip>')
    .description('check a plugin ZIP here, then stage, prove, activate and restart it')
    .option('--unsigned', 'accept a ZIP without a trusted signature (recorded in the audit log)')
    .option('--json', 'print JSON')
    .action((gateway: string, zip: string, o: { unsigned?: boolean; json?: boolean }) =>
      withCore(async (core) => {
        const area = areaOf(core);
        await follow(area, area.plugins.install(gateway, zip, { unsigned: o.unsigned }), o.json);
      }),
    );
  plugins
    .command('configure <gateway> <zip>')
    .description("put a configure ZIP's files in the gateway's OTA config folder")
    .option('--unsigned', 'accept a ZIP without a trusted signature (recorded in the audit log)')
    .option('--json', 'print JSON')
    .action((gateway: string, zip: string, o: { unsigned?: boolean; json?: boolean }) =>
      withCore(async (core) => {
        const area = areaOf(core);
        await follow(area, area.plugins.configure(gateway, zip, { unsigned: o.unsigned }), o.json);
      }),
    );
  plugins
    .command('rollback <gateway> <name>')
    .description('make the previous version of a plugin active again')
    .option('--json', 'print JSON')
    .action((gateway: string, name: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const area = areaOf(core);
        await follow(area, area.plugins.rollback(gateway, name), o.json);
      }),
    );
}
