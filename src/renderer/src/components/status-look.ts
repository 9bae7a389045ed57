import type { IconName } from './Icon';

/** How a status word looks: an icon and a tone, always shown with the word itself. */
export interface StatusLook {
  icon: IconName;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

const LOOKS: Record<string, StatusLook> = {
  healthy: { icon: 'check', tone: 'ok' },
  ready: { icon: 'check', tone: 'ok' },
  good: { icon: 'check', tone: 'ok' },
  online: { icon: 'dot', tone: 'ok' },
  committed: { icon: 'check', tone: 'ok' },
  connected: { icon: 'check', tone: 'ok' },
  warning: { icon: 'warn', tone: 'warn' },
  critical: { icon: 'cross', tone: 'bad' },
  disabled: { icon: 'ring', tone: 'muted' },
  trying: { icon: 'sync', tone: 'warn' },
  checking: { icon: 'sync', tone: 'muted' },
  bootloader: { icon: 'warn', tone: 'warn' },
  'key not trusted': { icon: 'warn', tone: 'warn' },
  unhealthy: { icon: 'cross', tone: 'bad' },
  unbootable: { icon: 'cross', tone: 'bad' },
  bad: { icon: 'cross', tone: 'bad' },
  offline: { icon: 'cross', tone: 'bad' },
  unreachable: { icon: 'cross', tone: 'bad' },
  'login refused': { icon: 'cross', tone: 'bad' },
  'key changed': { icon: 'stop', tone: 'bad' },
  error: { icon: 'cross', tone: 'bad' },
  empty: { icon: 'ring', tone: 'muted' },
  'not checked': { icon: 'ring', tone: 'muted' },
  unknown: { icon: 'question', tone: 'muted' },
};

/** The look of a status word; anything unlisted is shown plainly with a neutral ring. */
export function statusLook(word: string): StatusLook {
  return LOOKS[word] ?? { icon: 'ring', tone: 'muted' };
}
