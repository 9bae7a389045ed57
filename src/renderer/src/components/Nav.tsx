import { href } from '../routing';

export const AREAS: ReadonlyArray<{ id: string; label: string }> = [
  { id: 'gateways', label: 'Gateways' },
  { id: 'updates', label: 'Updates' },
  { id: 'images', label: 'Images' },
  { id: 'recovery', label: 'Recovery' },
  { id: 'backup', label: 'Backup' },
  { id: 'console', label: 'Console' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'history', label: 'History' },
  { id: 'logs', label: 'Logs' },
  { id: 'settings', label: 'Settings' },
];

/** The left navigation; the current area is marked for screen readers too. */
export function Nav({ current }: { current: string }) {
  return (
    <nav className="nav" aria-label="Areas">
      <div className="brand">Rigger</div>
      <ul>
        {AREAS.map((a) => (
          <li key={a.id}>
            <a href={href(a.id)} aria-current={a.id === current ? 'page' : undefined}>
              {a.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
