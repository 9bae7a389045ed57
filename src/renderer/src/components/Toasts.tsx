import { href } from '../routing';
import { useToasts } from '../stores/toasts';
import { Icon } from './Icon';

/** Alerts (and other short news) over whatever page is open, each with its Dismiss. */
export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`panel toast ${t.level === 'error' ? 'panel-error' : 'panel-info'}`}
          role={t.level === 'error' ? 'alert' : 'status'}
          data-testid="toast"
        >
          <div className="panel-title">
            <Icon name={t.level === 'error' ? 'warn' : 'info'} /> {t.title}
          </div>
          <p>{t.text}</p>
          <a href={href('fleet')} onClick={() => dismiss(t.id)}>
            Open Fleet
          </a>{' '}
          <button type="button" onClick={() => dismiss(t.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
