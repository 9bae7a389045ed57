import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { Connection, Gateway, SshAuth } from '../../shared/gateways';
import type { WithCore } from './context';
import { parseSshTarget } from './gateway';
import { print } from './output';

interface EditOptions {
  ssh?: string;
  key?: string;
  keyPassphraseEnv?: string;
  passwordEnv?: string;
  profile?: string;
  confirmNewAddress?: boolean;
  json?: boolean;
}

/** The login a `gateway edit` names, or null to keep the one stored. */
function authFrom(o: EditOptions): SshAuth | null {
  if (o.key && o.passwordEnv)
    throw new RiggerError('VALIDATION_ERROR', 'Give one of --key FILE or --password-env VAR');
  if (o.key) {
    const keyFile = resolve(o.key);
    if (!existsSync(keyFile))
      throw new RiggerError('VALIDATION_ERROR', `Key file ${keyFile} does not exist`, {
        key_file: keyFile,
      });
    return {
      method: 'key',
      key_file: keyFile,
      ...(o.keyPassphraseEnv ? { passphrase_env: o.keyPassphraseEnv } : {}),
    };
  }
  return o.passwordEnv ? { method: 'password-env', password_env: o.passwordEnv } : null;
}

/** The gateway's SSH connection with the address and login the flags change. */
function editedConnection(g: Gateway, o: EditOptions): Connection | undefined {
  const auth = authFrom(o);
  if (!o.ssh && !auth) return undefined;
  if (g.connection.type !== 'ssh')
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${g.name} is on a serial console: --ssh, --key and --password-env are for SSH gateways`,
    );
  const { user, host, port } = o.ssh ? parseSshTarget(o.ssh) : g.connection;
  return { type: 'ssh', user, host, port, auth: auth ?? g.connection.auth };
}

/**
 * `rigger gateway edit NAME`: change how a gateway is reached; a gateway whose password was typed
 * in the app gets a login the command line can use (`--password-env VAR` or `--key FILE`).
 */
export function registerGatewayEdit(gw: Command, withCore: WithCore): void {
  gw.command('edit <name>')
    .description("change a gateway's address, login or profile")
    .option('--ssh <user@host[:port]>', 'new SSH login and address')
    .option('--key <file>', 'log in with this private key file')
    .option('--key-passphrase-env <var>', "with --key: the variable holding the key's passphrase")
    .option('--password-env <var>', 'log in with the password held in this environment variable')
    .option('--profile <name|file>', 'gateway profile: a shipped name or a JSON file')
    .option('--confirm-new-address', 'a new address drops the trusted host key: confirm it')
    .option('--json', 'print the gateway record as JSON')
    .action((name: string, o: EditOptions) =>
      withCore(async (core) => {
        const g = await core.call('gateways.get', { name });
        const connection = editedConnection(g, o);
        const profile = o.profile
          ? o.profile.endsWith('.json') || o.profile.includes('/')
            ? resolve(o.profile)
            : o.profile
          : undefined;
        if (!connection && !profile)
          throw new RiggerError('VALIDATION_ERROR', 'Nothing to change', {}, [
            `rigger gateway edit ${name} --password-env VAR (or --key FILE, --ssh USER@HOST, --profile P)`,
          ]);
        const edited = await core.call('gateways.edit', {
          name,
          changes: { ...(connection ? { connection } : {}), ...(profile ? { profile } : {}) },
          ...(o.confirmNewAddress ? { confirm_new_address: true } : {}),
        });
        print(
          o.json,
          edited,
          () => `Changed gateway ${name}. Check it with: rigger status ${name}`,
        );
      }),
    );
}
