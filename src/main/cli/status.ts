import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { Core } from '../core/core';
import type { GlobalOptions } from './context';
import { formatStatus } from './format-status';
import { print } from './output';

/** Ask on the terminal whether to trust a first host key. */
async function confirmKey(name: string, details: Record<string, unknown>): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(
      `Trust host key ${String(details.offered_fingerprint)} (${String(details.algorithm)}) for ${name} at ${String(details.host)}:${String(details.port)}? [y/N] `,
    );
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** `rigger status NAME`: the gateway's state, in the seed's shape with --json. */
export function registerStatusCommand(
  program: Command,
  withCore: <T>(fn: (core: Core, g: GlobalOptions) => Promise<T>) => Promise<void>,
): void {
  program
    .command('status <name>')
    .description("read a gateway's slots, boot state, health and system figures")
    .option('--json', "print the seed's status shape")
    .option('--accept-new-host-key', 'trust the host key on first connection without asking')
    .action((name: string, o: { json?: boolean; acceptNewHostKey?: boolean }) =>
      withCore(async (core) => {
        let status;
        try {
          status = await core.call('gateways.status', { name });
        } catch (err) {
          if (!(err instanceof RiggerError) || err.code !== 'HOST_KEY_UNKNOWN') throw err;
          // On a terminal a person can check the fingerprint; scripts must say so with the flag.
          const interactive = process.stdin.isTTY && !o.json;
          const trusted =
            o.acceptNewHostKey || (interactive && (await confirmKey(name, err.details)));
          if (!trusted) throw err;
          await core.call('gateways.pinHostKey', {
            name,
            fingerprint: String(err.details.offered_fingerprint),
          });
          status = await core.call('gateways.status', { name });
        }
        print(o.json, status, () => formatStatus(name, status));
      }),
    );
}
