import type { SafetyStatus } from '../../../../shared/safety';
import { Icon } from '../../components/Icon';
import '../../styles/updates.css';

const NAMES: Record<string, string> = {
  crane_motion: 'Crane motion',
  acs_collision: 'Anti-collision (ACS)',
  ups_battery: 'UPS battery',
  network_connectivity: 'Network',
  disk_space: 'Gateway disk',
};

/** What a constraint says now, in a few words. */
function reading(c: Record<string, unknown>): string {
  if (typeof c.status === 'string') return c.status;
  if (typeof c.level === 'number') return `${c.level}%`;
  if (typeof c.available === 'string') return `${c.available} free`;
  return c.enabled === false ? 'not checked' : 'unknown';
}

/** The crane's safety signals: each as a word and an icon, blocking ones first and loud. */
export function SafetyPanel({ safety }: { safety: SafetyStatus }) {
  const rows = Object.entries(safety.constraints) as Array<[string, Record<string, unknown>]>;
  rows.sort(([, a], [, b]) => Number(b.blocking) - Number(a.blocking));
  return (
    <div
      className={`panel ${safety.update_allowed ? 'panel-info' : 'panel-alarm'}`}
      data-testid="safety-panel"
    >
      <p className="panel-title">
        <Icon name={safety.update_allowed ? 'check' : 'stop'} />{' '}
        {safety.update_allowed ? 'Safe to update' : 'Not safe to update now'}
        {safety.overridden.length > 0 && ` (override active: ${safety.overridden.join(', ')})`}
      </p>
      <ul className="safety-list">
        {rows.map(([name, c]) => {
          const over = safety.overridden.includes(name as never);
          const [word, tone, icon] = c.blocking
            ? (['BLOCKING', 'bad', 'stop'] as const)
            : over
              ? (['OVERRIDDEN', 'warn', 'warn'] as const)
              : c.enabled === false
                ? (['NOT CHECKED', 'muted', 'ring'] as const)
                : (['OK', 'ok', 'check'] as const);
          return (
            <li key={name} className={c.blocking ? 'blocking' : ''} data-testid={`signal-${name}`}>
              <span className={`signal-word signal-${tone}`}>
                <Icon name={icon} /> {word}
              </span>
              <strong>{NAMES[name] ?? name}</strong>
              <span>{reading(c)}</span>
            </li>
          );
        })}
      </ul>
      {safety.recommendations.length > 0 && (
        <ul className="muted">
          {safety.recommendations.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
