import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { WithCore } from './context';
import { connectsToGateway } from './host-key';
import { asChoice, asWhole } from './options';
import { print } from './output';

/** `rigger logs` and `rigger debug-bundle`: what a support call needs, offline. */
export function registerMonitorCommands(program: Command, withCore: WithCore): void {
  connectsToGateway(program.command('logs <gateway>'))
    .description("the gateway's logs merged with Rigger's own record of it, newest first")
    .option('--limit <n>', 'how many entries (1-1000)', asWhole('--limit', 1, 1000), 50)
    .option('--level <level>', 'info, warning, error or debug')
    .option('--source <source>', 'ota, recovery, safety or system')
    .option('--since <time>', 'from this time (e.g. "2025-03-15 10:00:00", UTC)')
    .option('--until <time>', 'up to this time')
    .option('--json', "print the seed's logs shape")
    .action(
      (
        gateway: string,
        o: {
          limit: number;
          level?: string;
          source?: string;
          since?: string;
          until?: string;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          const r = await core.call('monitor.logs', {
            gateway,
            limit: o.limit,
            level: o.level,
            source: o.source,
            since: o.since,
            until: o.until,
          });
          print(o.json, r, () =>
            [
              ...r.logs.map(
                (l) =>
                  `${l.timestamp ?? '????-??-?? ??:??:??'} ${l.level.toUpperCase().padEnd(7)} ${l.source.padEnd(8)} ${l.message}`,
              ),
              '',
              `${r.logs.length} shown of ${r.filtered} matching, ${r.total} in all (errors ${r.levels.error}, warnings ${r.levels.warning})`,
              ...r.unreadable.map((u) => `! ${u.path}: ${u.reason}`),
            ].join('\n'),
          );
        }),
    );
  connectsToGateway(program.command('debug-bundle <gateway>'))
    .description(
      'capture logs, configuration (secrets redacted), system facts and boot state into a .tar.gz',
    )
    .option('-o, --output <file>', "where to write it (default: Rigger's debug folder)")
    .option('--no-logs', 'leave out the logs')
    .option('--no-config', 'leave out the configuration files')
    .option('--no-system-info', 'leave out the system facts')
    .option(
      '--compression <c>',
      'gzip or none',
      asChoice('--compression', ['gzip', 'none'] as const),
      'gzip' as const,
    )
    .option('--json', "print the seed's debug shape")
    .action(
      (
        gateway: string,
        o: {
          output?: string;
          logs: boolean;
          config: boolean;
          systemInfo: boolean;
          compression: 'gzip' | 'none';
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          const r = await core.call('monitor.debug', {
            gateway,
            output: o.output ? resolve(o.output) : undefined,
            include_logs: o.logs,
            include_config: o.config,
            include_system_info: o.systemInfo,
            compression: o.compression,
          });
          print(o.json, r, () =>
            [
              `Debug bundle written: ${r.path} (${r.size_estimate})`,
              ...r.contents.map((c) => `  - ${c}`),
              ...r.missing.map((m) => `  ! not included: ${m.item}: ${m.reason}`),
            ].join('\n'),
          );
        }),
    );
}
