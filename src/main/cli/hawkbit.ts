import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { HawkbitConfig, HawkbitStatus, HawkbitSync } from '../../shared/hawkbit-api';
import type { WithCore } from './context';
import { print } from './output';

const pair = (text: string, acc: Record<string, string>) => {
  const i = text.indexOf('=');
  if (i < 1)
    throw new RiggerError('VALIDATION_ERROR', `--controller wants GATEWAY=ID, not "${text}"`, {
      controller: text,
    });
  return { ...acc, [text.slice(0, i)]: text.slice(i + 1) };
};

const configText = (c: HawkbitConfig) =>
  [
    c.url
      ? `hawkBit ${c.url}, tenant ${c.tenant}${c.ca_pinned ? ', private CA pinned' : ''}`
      : 'No hawkBit server is set up',
    `  gateway token        ${c.gateway_token}`,
    `  management user      ${c.management_user ?? '-'} (password ${c.management_password})`,
    ...Object.entries(c.controllers).map(([g, id]) => `  ${g} is controller ${id}`),
  ].join('\n');

const syncText = (s: HawkbitSync) =>
  s.gateways
    .map((g) =>
      [
        `${g.gateway} (${g.controller_id}): ${g.ok ? 'synced' : `FAILED ${g.error?.code}: ${g.error?.message}`}`,
        ...g.actions.map((a) => `  action ${a.action_id} ${a.version}: ${a.state}`),
        ...g.sent.map((x) => `  sent ${x.execution}/${x.finished} for action ${x.action_id}`),
        ...g.offline_reported.map((x) => `  reported ${x.version} as installed offline`),
        ...g.not_reported.map((x) => `  NOT reported: ${x.version} (${x.reason})`),
        ...g.warnings.map((w) => `  warning: ${w}`),
      ].join('\n'),
    )
    .join('\n') || 'No gateways to sync';

const statusText = (s: HawkbitStatus) =>
  [
    configText(s.config),
    ...(s.assignments.length
      ? s.assignments.flatMap((a) => [
          `${a.summary}: ${a.state}`,
          ...(a.offered && a.image
            ? [`  install it: rigger flash ${a.gateway} --image ${a.image.id}`]
            : a.problem
              ? [`  ${a.problem}`]
              : []),
          ...(a.install
            ? [
                `  recorded: ${a.install.result} at ${a.install.finished_at}, ${a.install.reported_at ? `reported ${a.install.reported_at}` : 'waits for the next sync'}`,
              ]
            : []),
          ...(a.rollout
            ? [
                `  rollout ${a.rollout.name}: ${a.rollout.groups.map((g) => (g.holds_target ? `[${g.name}]` : g.name)).join(', ')}`,
              ]
            : []),
        ])
      : ['No hawkBit actions fetched: rigger hawkbit sync']),
    ...s.pending.map(
      (p) =>
        `waiting to report to hawkBit: ${p.gateway} ${p.action_id ? `action ${p.action_id}` : 'offline install'}${p.not_reported ? ` (${p.not_reported})` : ''}`,
    ),
  ].join('\n');

/** `rigger hawkbit config|sync|status`: Rigger as the offline courier for a hawkBit server. */
export function registerHawkbitCommands(program: Command, withCore: WithCore): void {
  const hb = program
    .command('hawkbit')
    .description("carry a hawkBit server's updates to the cranes");
  hb.command('config')
    .description('set up the hawkBit server (no options: show the setup)')
    .option('--url <url>', "the server's URL")
    .option('--tenant <tenant>', 'the tenant (DEFAULT on a single-tenant server)')
    .option('--gateway-token-env <var>', 'read the gateway token from this environment variable')
    .option('--controller <gateway=id>', 'map a gateway to a controllerId (repeatable)', pair)
    .option('--management-user <user>', 'Management API user, for updates outside any action')
    .option('--management-password-env <var>', 'read its password from this variable')
    .option('--ca <file>', "PEM of the private CA the server's certificate chains to")
    .option('--json', 'print JSON')
    .action(
      (o: {
        url?: string;
        tenant?: string;
        gatewayTokenEnv?: string;
        controller?: Record<string, string>;
        managementUser?: string;
        managementPasswordEnv?: string;
        ca?: string;
        json?: boolean;
      }) =>
        withCore(async (core) => {
          const c = await core.call('hawkbit.config', {
            url: o.url,
            tenant: o.tenant,
            gateway_token_env: o.gatewayTokenEnv,
            controllers: o.controller,
            management_user: o.managementUser,
            management_password_env: o.managementPasswordEnv,
            ca_pem: o.ca ? readFileSync(o.ca, 'utf8') : undefined,
          });
          print(o.json, c, () => configText(c));
        }),
    );
  hb.command('sync')
    .description('report what happened, then fetch what hawkBit wants installed')
    .option('--force', 'poll even within the interval the server asked for')
    .option(
      '--gateway <name>',
      'only this gateway (repeatable)',
      (v, acc: string[]) => [...acc, v],
      [],
    )
    .option('--json', 'print JSON')
    .action((o: { force?: boolean; gateway: string[]; json?: boolean }) =>
      withCore(async (core) => {
        const s = await core.call('hawkbit.sync', {
          force: !!o.force,
          gateways: o.gateway.length ? o.gateway : undefined,
        });
        print(o.json, s, () => syncText(s));
      }),
    );
  hb.command('status')
    .description("hawkBit's assignments and the reports still to send")
    .option('--gateway <name>', 'only this gateway')
    .option('--json', 'print JSON')
    .action((o: { gateway?: string; json?: boolean }) =>
      withCore(async (core) => {
        const s = await core.call('hawkbit.status', { gateway: o.gateway });
        print(o.json, s, () => statusText(s));
      }),
    );
}
