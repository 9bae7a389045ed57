import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { OPERATORS } from '../../shared/telemetry';
import { AGGREGATIONS, INTERVALS, type AlertRule } from '../../shared/telemetry';
import type { WithCore } from './context';
import { print } from './output';

/** `--from 24h` (that long ago), or an ISO time as it is. */
export function timeArg(text: string, now = Date.now()): string {
  const m = /^(\d{1,6})([mhd])$/.exec(text);
  if (!m) return text;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  return new Date(now - Number(m[1]) * unit).toISOString();
}

const list = (text?: string) => text?.split(',').filter(Boolean);

const ruleLine = (r: AlertRule) =>
  `${r.id}  ${r.name}: ${r.condition.metric} ${r.condition.operator} ${r.condition.threshold}` +
  `${r.condition.duration_seconds ? ` for ${r.condition.duration_seconds}s` : ''}` +
  ` on ${r.device_id ?? r.device_type ?? 'every device'} -> ${r.actions.map((a) => a.type).join(', ')}`;

/** `rigger telemetry DEVICE` and `rigger alerts …`: the seed's telemetry service. */
export function registerTelemetryCommands(program: Command, withCore: WithCore): void {
  program
    .command('telemetry <device>')
    .description("a device's samples, raw or aggregated per interval")
    .option('--from <time>', 'ISO time or how long ago (30m, 24h, 7d)', '24h')
    .option('--to <time>', 'ISO time or how long ago', '0m')
    .option('--aggregate <list>', `aggregate with ${AGGREGATIONS.join(', ')} (comma-separated)`)
    .option('--interval <interval>', `bucket size: ${INTERVALS.join(', ')}`, '1h')
    .option('--metrics <list>', 'only these metrics (comma-separated)')
    .option('--json', 'print JSON')
    .action(
      (
        device: string,
        o: {
          from: string;
          to: string;
          aggregate?: string;
          interval: string;
          metrics?: string;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          const from = timeArg(o.from);
          const to = timeArg(o.to);
          const metrics = list(o.metrics);
          if (!o.aggregate) {
            const r = await core.call('telemetry.query', { device_id: device, from, to, metrics });
            return print(o.json, r, () =>
              r.data.length
                ? r.data
                    .map(
                      (p) =>
                        `${p.timestamp}  ${Object.entries(p.metrics)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(' ')}`,
                    )
                    .join('\n') + (r.truncated ? '\n(more samples: narrow --from/--to)' : '')
                : `No samples from ${device} between ${r.from} and ${r.to}`,
            );
          }
          // Every metric the device sent in the period, when none is named.
          const names =
            metrics ??
            [
              ...new Set(
                (
                  await core.call('telemetry.query', { device_id: device, from, to, limit: 1000 })
                ).data.flatMap((p) => Object.keys(p.metrics)),
              ),
            ].slice(0, 16);
          if (!names.length)
            throw new RiggerError('NOT_FOUND', `No samples from ${device} in that period`, {
              device_id: device,
            });
          const r = await core.call('telemetry.aggregate', {
            device_id: device,
            metrics: names,
            aggregation: list(o.aggregate) as Array<(typeof AGGREGATIONS)[number]>,
            interval: o.interval as (typeof INTERVALS)[number],
            from,
            to,
          });
          print(o.json, r, () =>
            r.aggregations.length
              ? r.aggregations
                  .map((row) =>
                    Object.entries(row)
                      .map(([k, v]) => (k === 'timestamp' ? String(v) : `${k}=${v ?? '-'}`))
                      .join('  '),
                  )
                  .join('\n')
              : `No samples from ${device} in that period`,
          );
        }),
    );

  const alerts = program.command('alerts').description('alert rules on telemetry');
  alerts
    .command('list')
    .description('the alert rules, with their thresholds and actions')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('alerts.list', {});
        print(o.json, r, () =>
          r.alerts.length ? r.alerts.map(ruleLine).join('\n') : 'No alert rules: rigger alerts add',
        );
      }),
    );
  alerts
    .command('add')
    .description('add an alert rule: a metric above or below a threshold for a while')
    .requiredOption('--name <name>')
    .requiredOption('--metric <metric>', 'e.g. cpu_usage, temperature')
    .requiredOption('--operator <op>', '> >= < <= == !=')
    .requiredOption('--threshold <n>', 'the value compared', Number)
    .option('--duration <seconds>', 'how long the condition must hold', Number, 0)
    .option('--device <id>', 'only this device')
    .option('--type <type>', 'only devices of this type')
    .option(
      '--webhook <url>',
      'POST the alert to this URL (repeatable)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option('--no-notify', 'no desktop notification')
    .option('--json', 'print JSON')
    .action(
      (o: {
        name: string;
        metric: string;
        operator: string;
        threshold: number;
        duration: number;
        device?: string;
        type?: string;
        webhook: string[];
        notify: boolean;
        json?: boolean;
      }) =>
        withCore(async (core) => {
          const r = await core.call('alerts.add', {
            name: o.name,
            device_id: o.device,
            device_type: o.type,
            condition: {
              metric: o.metric,
              operator: o.operator as (typeof OPERATORS)[number],
              threshold: o.threshold,
              duration_seconds: o.duration,
            },
            actions: [
              ...(o.notify ? [{ type: 'notification' as const }] : []),
              ...o.webhook.map((url) => ({ type: 'webhook' as const, url })),
            ],
          });
          print(o.json, r, () => `Added ${ruleLine(r)}`);
        }),
    );
  alerts
    .command('history')
    .description('alerts that fired and cleared, newest first')
    .option('--device <id>', 'only this device')
    .option('--limit <n>', 'how many (1-1000)', Number, 50)
    .option('--json', 'print JSON')
    .action((o: { device?: string; limit: number; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('alerts.history', { device_id: o.device, limit: o.limit });
        print(o.json, r, () =>
          r.events.length
            ? r.events
                .map(
                  (e) =>
                    `${e.timestamp}  ${e.state.padEnd(7)}  ${e.name} on ${e.device_id}: ${e.metric} ${e.value} (threshold ${e.threshold})`,
                )
                .join('\n')
            : 'No alert has fired yet',
        );
      }),
    );
  alerts
    .command('remove <id>')
    .description('remove an alert rule')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('alerts.remove', { id });
        print(o.json, r, () => `Removed alert rule ${r.id}`);
      }),
    );
}
