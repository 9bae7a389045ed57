/** How a status word looks: an icon and a tone, always shown with the word itself. */
export interface StatusLook {
  icon: string;
  tone: 'ok' | 'warn' | 'bad' | 'muted';
}

const LOOKS: Record<string, StatusLook> = {
  healthy: { icon: '✔', tone: 'ok' },
  ready: { icon: '✔', tone: 'ok' },
  good: { icon: '✔', tone: 'ok' },
  online: { icon: '●', tone: 'ok' },
  committed: { icon: '✔', tone: 'ok' },
  trying: { icon: '⟳', tone: 'warn' },
  checking: { icon: '⟳', tone: 'muted' },
  bootloader: { icon: '⚠', tone: 'warn' },
  'key not trusted': { icon: '⚠', tone: 'warn' },
  unhealthy: { icon: '✖', tone: 'bad' },
  unbootable: { icon: '✖', tone: 'bad' },
  bad: { icon: '✖', tone: 'bad' },
  offline: { icon: '✖', tone: 'bad' },
  unreachable: { icon: '✖', tone: 'bad' },
  'login refused': { icon: '✖', tone: 'bad' },
  'key changed': { icon: '⛔', tone: 'bad' },
  error: { icon: '✖', tone: 'bad' },
  empty: { icon: '○', tone: 'muted' },
  'not checked': { icon: '○', tone: 'muted' },
  unknown: { icon: '?', tone: 'muted' },
};

/** The look of a status word; anything unlisted is shown plainly with a neutral dot. */
export function statusLook(word: string): StatusLook {
  return LOOKS[word] ?? { icon: '•', tone: 'muted' };
}
