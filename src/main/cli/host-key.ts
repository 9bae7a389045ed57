import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { Core } from '../core/core';
import { ask } from './ask';

const connecting = new WeakSet<Command>();

/**
 * Mark a command that connects to the gateway named by its first argument: it takes
 * --accept-new-host-key, and a first host key is trusted (or asked about) before it runs.
 */
export function connectsToGateway(cmd: Command): Command {
  connecting.add(cmd);
  return cmd.option(
    '--accept-new-host-key',
    'trust the host key on first connection without asking',
  );
}

/** Whether a command connects to a gateway (and so takes --accept-new-host-key). */
export const isGatewayCommand = (cmd: Command): boolean => connecting.has(cmd);

/** Ask on the terminal whether to trust a first host key. */
async function confirmKey(name: string, details: Record<string, unknown>): Promise<boolean> {
  const answer = await ask(
    `Trust host key ${String(details.offered_fingerprint)} (${String(details.algorithm)}) for ${name} at ${String(details.host)}:${String(details.port)}? [y/N] `,
  );
  return /^y(es)?$/i.test(answer);
}

/** What a gateway command was asked to do about a first host key. */
export interface TrustRequest {
  gateway: string;
  accept: boolean;
  json: boolean;
}

/**
 * Before a gateway command: a gateway reached over SSH whose key is not pinned yet is
 * connected to once; its first key is pinned with --accept-new-host-key, or after a person
 * on a terminal confirmed it. Other failures are left to the command, which reports them.
 */
export async function trustFirstHostKey(core: Core, t: TrustRequest): Promise<void> {
  const g = await core.call('gateways.get', { name: t.gateway });
  if (g.connection.type !== 'ssh' || g.host_key) return;
  try {
    await core.call('gateways.status', { name: t.gateway });
  } catch (err) {
    if (!(err instanceof RiggerError) || err.code !== 'HOST_KEY_UNKNOWN') return;
    // On a terminal a person can check the fingerprint; scripts must say so with the flag.
    const interactive = process.stdin.isTTY && !t.json;
    const trusted = t.accept || (interactive && (await confirmKey(t.gateway, err.details)));
    if (!trusted) throw err;
    await core.call('gateways.pinHostKey', {
      name: t.gateway,
      fingerprint: String(err.details.offered_fingerprint),
    });
  }
}
