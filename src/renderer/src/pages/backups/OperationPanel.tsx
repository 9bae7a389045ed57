import { useBackups } from '../../stores/backups';

/** The backup or recovery in progress (from `/ws/backup/updates`), then how it ended. */
export function OperationPanel() {
  const op = useBackups((s) => s.operation);
  if (!op) return null;
  const u = op.update;
  const pct = op.outcome === 'success' ? 100 : (u?.progress ?? 0);
  return (
    <div className="progress" role="status" aria-live="polite" data-testid="backup-operation">
      <div className="progress-line">
        <strong>{op.label}</strong>{' '}
        {op.outcome
          ? `${op.outcome}${op.message ? `: ${op.message}` : ''}`
          : u
            ? `${u.progress}% · ${u.current_step.replace(/_/g, ' ')} · ETA ${u.eta}`
            : 'starting…'}
      </div>
      <div className="progress-track" aria-hidden="true">
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}
