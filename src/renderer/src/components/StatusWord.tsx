const LOOK: Record<string, { icon: string; tone: string }> = {
  healthy: { icon: '✔', tone: 'ok' },
  ready: { icon: '✔', tone: 'ok' },
  trying: { icon: '⟳', tone: 'warn' },
  unhealthy: { icon: '✖', tone: 'bad' },
  unbootable: { icon: '✖', tone: 'bad' },
  empty: { icon: '○', tone: 'muted' },
  unknown: { icon: '?', tone: 'muted' },
  online: { icon: '●', tone: 'ok' },
  offline: { icon: '○', tone: 'bad' },
};

/** A status as an icon and a word together, never colour alone. */
export function StatusWord({ status }: { status: string }) {
  const look = LOOK[status] ?? { icon: '•', tone: 'muted' };
  return (
    <span className={`status status-${look.tone}`}>
      <span aria-hidden="true">{look.icon}</span> {status}
    </span>
  );
}
