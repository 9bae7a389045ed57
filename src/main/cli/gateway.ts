import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { Connection, Gateway, SshAuth } from '../../shared/gateways';
import type { Core } from '../core/core';
import type { GlobalOptions } from './context';
import { registerGatewayEdit } from './gateway-edit';
import { profileRef, registerGatewayTest, testBeforeAdd } from './gateway-test';
import { asBaud } from './options';
import { print } from './output';
import { table } from './table';

interface AddFlags {
  test?: boolean;
  acceptNewHostKey?: boolean;
  json?: boolean;
}

/** Parse `USER@HOST[:PORT]`; an IPv6 host goes in brackets: `root@[fe80::1]:22`. */
export function parseSshTarget(value: string): { user: string; host: string; port: number } {
  const m = /^([^@\s]+)@(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(value);
  if (!m)
    throw new RiggerError('VALIDATION_ERROR', `--ssh takes USER@HOST[:PORT], not "${value}"`, {
      issues: [{ field: 'ssh', problem: 'format' }],
    });
  const port = m[3] ? Number(m[3]) : 22;
  if (port < 1 || port > 65535)
    throw new RiggerError('VALIDATION_ERROR', `Port ${port} is out of range`);
  return { user: m[1]!, host: m[2]!.replace(/^\[|\]$/g, ''), port };
}

interface AddOptions {
  ssh?: string;
  serial?: string;
  baud?: number;
  user?: string;
  key?: string;
  keyPassphraseEnv?: string;
  passwordEnv?: string;
  profile: string;
}

/** A console reached over a USB-to-serial adapter; the login password only from a variable. */
function serialFromFlags(o: AddOptions): Connection {
  if (o.key) {
    throw new RiggerError('VALIDATION_ERROR', 'A serial console has no SSH key: leave out --key', {
      issues: [{ field: 'key', problem: 'not for --serial' }],
    });
  }
  return {
    type: 'serial',
    port: o.serial!,
    baud: o.baud ?? 115200,
    user: o.user ?? 'root',
    auth: o.passwordEnv
      ? { method: 'password-env', password_env: o.passwordEnv }
      : { method: 'none' },
  };
}

/** The connection a `gateway add` describes; exactly one way to reach it and to log in. */
export function connectionFromFlags(o: AddOptions): Connection {
  if (!!o.ssh === !!o.serial)
    throw new RiggerError(
      'VALIDATION_ERROR',
      'Give the gateway address with --ssh USER@HOST[:PORT], or its console with --serial PORT',
    );
  if (o.serial) return serialFromFlags(o);
  if (o.baud !== undefined || o.user) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      '--baud and --user are for --serial; --ssh says USER@HOST',
    );
  }
  if (!!o.key === !!o.passwordEnv) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      'Give exactly one of --key FILE or --password-env VAR',
      {},
      [
        'Passwords are never taken on the command line: export it in a variable and name it: rigger gateway add NAME --ssh USER@HOST --password-env VAR --profile PROFILE',
      ],
    );
  }
  let auth: SshAuth;
  if (o.key) {
    const keyFile = resolve(o.key);
    if (!existsSync(keyFile))
      throw new RiggerError('VALIDATION_ERROR', `Key file ${keyFile} does not exist`, {
        key_file: keyFile,
      });
    auth = {
      method: 'key',
      key_file: keyFile,
      ...(o.keyPassphraseEnv ? { passphrase_env: o.keyPassphraseEnv } : {}),
    };
  } else {
    auth = { method: 'password-env', password_env: o.passwordEnv! };
  }
  return { type: 'ssh', ...parseSshTarget(o.ssh!), auth };
}

/** `rigger gateway add|list|remove`. */
export function registerGatewayCommands(
  program: Command,
  withCore: <T>(fn: (core: Core, g: GlobalOptions) => Promise<T>) => Promise<void>,
): void {
  const gw = program.command('gateway').description('the gateways Rigger knows');
  gw.command('add <name>')
    .description('add a gateway reached over SSH, or over its serial console')
    .option('--ssh <user@host[:port]>', 'SSH login and address')
    .option('--key <file>', 'private key file')
    .option('--key-passphrase-env <var>', "environment variable holding the key's passphrase")
    .option('--serial <port>', 'serial console port (/dev/ttyUSB0, COM3)')
    .option('--baud <n>', 'console baud rate (8N1; default 115200)', asBaud)
    .option('--user <name>', 'console login user (default root)')
    .option('--password-env <var>', 'environment variable holding the password')
    .requiredOption('--profile <name|file>', 'gateway profile: a shipped name or a JSON file')
    .option('--no-test', 'save without testing the connection first (a gateway not reachable now)')
    .option('--accept-new-host-key', 'trust the host key the test finds without asking')
    .option('--json', 'print the gateway record as JSON')
    .action((name: string, o: AddOptions & AddFlags) =>
      withCore(async (core) => {
        const profile = profileRef(o.profile);
        const connection = connectionFromFlags(o);
        // What the registry would refuse is said before any connection is tried.
        if ((await core.call('gateways.list', {})).some((g) => g.name === name))
          throw new RiggerError('ALREADY_EXISTS', `A gateway named "${name}" already exists`, {
            gateway: name,
          });
        const tested =
          o.test !== false && connection.type === 'ssh'
            ? await testBeforeAdd(
                core,
                { name, profile, connection },
                { accept: o.acceptNewHostKey, json: o.json },
              )
            : null;
        const g = await core.call('gateways.add', {
          name,
          profile,
          connection,
          ...(tested?.pin ? { host_key: tested.pin } : {}),
        });
        const note = tested ? ` ${tested.note}` : connection.type === 'ssh' ? ' Not tested.' : '';
        print(
          o.json,
          g,
          () =>
            `Added gateway ${g.name} (${o.ssh ?? `console ${o.serial}`}, profile ${g.profile}).${note} Check it with: rigger status ${g.name}`,
        );
      }),
    );
  gw.command('list')
    .description('list the gateways')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const list = await core.call('gateways.list', {});
        print(o.json, list, () =>
          list.length
            ? gatewayTable(list)
            : 'No gateways yet. Add one with: rigger gateway add NAME --ssh USER@HOST --key FILE --profile univa-gw-pro',
        );
      }),
    );
  registerGatewayEdit(gw, withCore);
  registerGatewayTest(gw, withCore);
  gw.command('remove <name>')
    .description('forget a gateway (nothing on the gateway changes)')
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('gateways.remove', { name });
        print(o.json, r, () => `Removed gateway ${name}.`);
      }),
    );
}

/** The gateway list as columns as wide as their longest cell (long profile paths too). */
function gatewayTable(list: Gateway[]): string {
  return table(
    ['NAME', 'ADDRESS', 'PROFILE', 'LAST SEEN'],
    list.map((g) => {
      const c = g.connection;
      const where = c.type === 'ssh' ? `${c.user}@${c.host}:${c.port}` : `${c.port} @ ${c.baud}`;
      return [g.name, where, g.profile, g.last_seen ?? 'never'];
    }),
  );
}
