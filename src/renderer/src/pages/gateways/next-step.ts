import type { RiggerErrorData } from '../../../../shared/errors';
import type { UpdatesCheck } from '../../../../shared/images';
import type { GatewayStatus } from '../../../../shared/status';

type Offer = UpdatesCheck['updates'][number];

/** The one thing the overview suggests now, and the page that does it. */
export interface NextStep {
  text: string;
  action: { label: string; area: string } | null;
  tone: 'info' | 'warn';
}

/**
 * Why the gateway's actions cannot work now (they all need its SSH link), or null. A host key
 * to review is its own prompt, not a dead link.
 */
export function actionsBlocked(name: string, error: RiggerErrorData | null): string | null {
  if (error?.code === 'HOST_KEY_UNKNOWN' || error?.code === 'HOST_KEY_CHANGED')
    return `Trust ${name}'s host key first: every action talks to it over SSH.`;
  if (error?.code === 'AUTH_FAILED')
    return `${name} refused the login: fix it with Edit, then Refresh. Every action needs it.`;
  if (error) return `${name} cannot be reached: every action needs its SSH link.`;
  return null; // read, or being read: each page says more if it cannot go on
}

/** What to do next, from the gateway's state and what the library offers it (newest first). */
export function nextStep(
  name: string,
  status: GatewayStatus | null,
  error: RiggerErrorData | null,
  offers: Offer[] | undefined,
): NextStep | null {
  const blocked = actionsBlocked(name, error);
  if (blocked && error && !error.code.startsWith('HOST_KEY') && error.code !== 'AUTH_FAILED')
    return {
      text: `${name} does not answer over the network. Check the cable and its power, or reach it over the serial console.`,
      action: { label: 'Open Console', area: 'console' },
      tone: 'warn',
    };
  if (blocked || !status) return null;
  if (status.status === 'bootloader')
    return {
      text: `${name} is waiting in U-Boot: nothing booted. Switch the slot back on the console.`,
      action: { label: 'Open Console', area: 'console' },
      tone: 'warn',
    };
  const newest = offers?.[0];
  if (newest)
    return {
      text: `${newest.version} is in the library for ${name}:`,
      action: { label: 'Update', area: 'updates' },
      tone: 'info',
    };
  if (offers)
    return {
      text: `${name} runs the newest image in the library. Nothing to install.`,
      action: null,
      tone: 'info',
    };
  return null;
}
