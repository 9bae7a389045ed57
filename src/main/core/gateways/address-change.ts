import { RiggerError } from '../../../shared/errors';
import type { Connection } from '../../../shared/gateways';
import type { GatewayRow } from './registry';

const addressOf = (c: Connection): string | null =>
  c.type === 'ssh' ? `${c.host}:${c.port}` : null;

/**
 * A new host or port for a gateway: another machine may answer there, so its pinned host key
 * is dropped. That needs the user's explicit confirmation (refused, changing nothing, without
 * it); the change to record in the audit log, or null when the address stays.
 */
export function addressChange(
  current: GatewayRow,
  before: Connection,
  after: Connection,
  confirmed: boolean,
): {
  old_address: string | null;
  new_address: string | null;
  dropped_host_key: string | null;
} | null {
  const [oldAddress, newAddress] = [addressOf(before), addressOf(after)];
  if (oldAddress === newAddress) return null;
  const pinned = current.host_key_fingerprint;
  if (pinned && !confirmed) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${current.name} would move from ${oldAddress ?? 'its serial port'} to ${newAddress ?? 'a serial port'}: its trusted host key (${pinned}) is dropped, and the next connection asks to trust the key found there`,
      {
        confirm: 'confirm_new_address',
        fingerprint: pinned,
        old_address: oldAddress,
        new_address: newAddress,
      },
      [
        `Confirm the new address (confirm_new_address; on the command line: rigger gateway edit ${current.name} --ssh USER@HOST --confirm-new-address)`,
      ],
    );
  }
  return { old_address: oldAddress, new_address: newAddress, dropped_host_key: pinned };
}
