import { NAV_AREAS } from '../areas';
import { href } from '../routing';
import { useUi } from '../stores/ui';

/** The left navigation; the current area is marked for screen readers too. */
export function Nav({ current }: { current: string }) {
  const info = useUi((s) => s.appInfo);
  return (
    <nav className="nav" aria-label="Areas">
      <div className="brand">Rigger</div>
      <ul>
        {NAV_AREAS.map((a) => (
          <li key={a.id}>
            <a
              href={href(a.id)}
              aria-current={a.id === current ? 'page' : undefined}
              data-testid={`nav-${a.id}`}
            >
              {a.label}
            </a>
          </li>
        ))}
      </ul>
      {info && (
        <p className="nav-foot" data-testid="app-info">
          Version {info.version}
          <br />
          {info.mode === 'browser'
            ? 'Browser mode'
            : info.mode === 'electron'
              ? 'Desktop'
              : info.mode}
        </p>
      )}
    </nav>
  );
}
