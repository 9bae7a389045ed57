import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { ConnectionTest, ConnectionTestInput } from '../../shared/gateway-test';
import type { Core } from '../core/core';
import { ask } from './ask';
import type { WithCore } from './context';
import { connectionFromFlags } from './gateway';
import { print } from './output';

/** A profile reference as the CLI takes it: a file path is made absolute. */
export const profileRef = (p: string): string =>
  p.endsWith('.json') || p.includes('/') ? resolve(p) : p;

/** The lines a person reads: what was found, then what stopped the test. */
export function describeTest(r: ConnectionTest): string {
  const lines = [`Connection test of ${r.target}:`];
  lines.push(`  reachable:  ${r.reachable === null ? 'not tried' : r.reachable ? 'yes' : 'no'}`);
  if (r.host_key) {
    const k = r.host_key;
    const state =
      k.state === 'changed'
        ? `CHANGED (pinned ${k.pinned_fingerprint})`
        : k.state === 'known'
          ? 'known (pinned)'
          : 'new (not trusted yet)';
    lines.push(`  host key:   ${k.fingerprint} (${k.algorithm}), ${state}`);
  }
  lines.push(`  login:      ${r.login === null ? 'not tried' : r.login ? 'worked' : 'refused'}`);
  if (r.identity) {
    const i = r.identity;
    lines.push(
      `  gateway:    ${i.gateway_id ?? 'id unknown'}, ${i.model ?? 'model unknown'}, ${i.version ?? 'version unknown'}`,
    );
  }
  if (r.problem) {
    lines.push(`Stopped [${r.problem.code}]: ${r.problem.message}`);
    if (r.problem.suggested_actions.length)
      lines.push('What to do:', ...r.problem.suggested_actions.map((a) => `  - ${a}`));
  } else lines.push('The gateway can be saved.');
  return lines.join('\n');
}

async function confirmKey(r: ConnectionTest): Promise<boolean> {
  process.stderr.write(describeTest(r) + '\n');
  const a = await ask(`Trust host key ${r.host_key!.fingerprint} for ${r.target}? [y/N] `);
  return /^y(es)?$/i.test(a);
}

/**
 * Test, and on a first host key trust it when told to (--accept-new-host-key) or when a person
 * on a terminal says so, then test the login with exactly that key.
 */
export async function testWithTrust(
  core: Core,
  input: ConnectionTestInput,
  o: { accept?: boolean; json?: boolean },
): Promise<ConnectionTest> {
  const first = await core.call('gateways.testConnection', input);
  if (first.problem?.reason !== 'host_key_new' || !first.host_key) return first;
  const interactive = process.stdin.isTTY && !o.json;
  if (!o.accept && !(interactive && (await confirmKey(first)))) return first;
  return core.call('gateways.testConnection', {
    ...input,
    accept_fingerprint: first.host_key.fingerprint,
  });
}

/** The flags `gateway test` shares with `gateway add`. */
interface TestOptions {
  ssh?: string;
  key?: string;
  keyPassphraseEnv?: string;
  passwordEnv?: string;
  profile?: string;
  acceptNewHostKey?: boolean;
  json?: boolean;
}

/** `rigger gateway test NAME` or `rigger gateway test --ssh USER@HOST --key FILE …`. */
export function registerGatewayTest(gw: Command, withCore: WithCore): void {
  gw.command('test [name]')
    .description("test a gateway's SSH connection and login; saves nothing")
    .option('--ssh <user@host[:port]>', 'SSH login and address (a gateway not saved yet)')
    .option('--key <file>', 'private key file')
    .option('--key-passphrase-env <var>', "environment variable holding the key's passphrase")
    .option('--password-env <var>', 'environment variable holding the password')
    .option('--profile <name|file>', 'profile to read the gateway identity with')
    .option('--accept-new-host-key', 'trust a first host key for this test without asking')
    .option('--json', 'print the result as JSON')
    .action((name: string | undefined, o: TestOptions) =>
      withCore(async (core) => {
        if (!name && !o.ssh)
          throw new RiggerError('VALIDATION_ERROR', 'Name a saved gateway, or give --ssh', {}, [
            'rigger gateway test NAME',
            'rigger gateway test --ssh USER@HOST[:PORT] --key FILE --profile PROFILE',
          ]);
        const connection = o.ssh ? connectionFromFlags({ ...o, profile: '' }) : undefined;
        const input: ConnectionTestInput = {
          ...(name ? { name } : {}),
          ...(o.profile ? { profile: profileRef(o.profile) } : {}),
          ...(connection?.type === 'ssh' ? { connection } : {}),
        };
        const r = await testWithTrust(core, input, {
          accept: o.acceptNewHostKey,
          json: o.json,
        });
        print(o.json, r, () => describeTest(r));
        if (!r.ok) process.exitCode = 1;
      }),
    );
}

/**
 * Before `gateway add`: the test must pass, or stop only at a first host key nobody confirmed
 * (then the gateway is saved without a trusted key, and its first command asks). Returns the key
 * to pin with the record.
 */
export async function testBeforeAdd(
  core: Core,
  input: ConnectionTestInput & { name: string },
  o: { accept?: boolean; json?: boolean },
): Promise<{ pin?: { algorithm: string; fingerprint: string }; note: string }> {
  const r = await testWithTrust(core, input, o);
  if (r.ok && r.host_key)
    return {
      pin: { algorithm: r.host_key.algorithm, fingerprint: r.host_key.fingerprint },
      note: `Tested: login worked, host key ${r.host_key.fingerprint} trusted.`,
    };
  if (r.problem?.reason === 'host_key_new')
    return {
      note: `Reached it; its host key ${r.host_key?.fingerprint} is not trusted yet, so the login was not tested. Its first command asks (or: rigger status ${input.name} --accept-new-host-key).`,
    };
  const p = r.problem!;
  throw new RiggerError(
    p.code as RiggerError['code'],
    `The connection test failed, nothing was saved: ${p.message}`,
    { test: r },
    [
      ...p.suggested_actions,
      `A gateway that cannot be reached now: rigger gateway add ${input.name} … --no-test`,
    ],
  );
}
