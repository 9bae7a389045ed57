import type { ReactNode } from 'react';
import { href } from '../routing';
import { useToasts, type ToastLevel } from '../stores/toasts';
import { Icon } from './Icon';

const LOOK: Record<ToastLevel, { panel: string; icon: 'warn' | 'info' | 'check' }> = {
  error: { panel: 'panel-error', icon: 'warn' },
  warn: { panel: 'panel-warn', icon: 'warn' },
  info: { panel: 'panel-info', icon: 'info' },
  ok: { panel: 'panel-info', icon: 'check' },
};

/**
 * Alerts and other short news over whatever page is open, each with its Dismiss and the page to
 * act on it; `children` go first (a running import's progress).
 */
export function Toasts({ children }: { children?: ReactNode }) {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {children}
      {toasts.map((t) => (
        <div
          key={t.id}
          className={`panel toast ${LOOK[t.level].panel}`}
          role={t.level === 'error' ? 'alert' : 'status'}
          data-testid="toast"
        >
          <div className="panel-title">
            <Icon name={LOOK[t.level].icon} /> {t.title}
          </div>
          <p>{t.text}</p>
          {t.link && (
            <>
              <a href={href(t.link.area)} onClick={() => dismiss(t.id)}>
                {t.link.label}
              </a>{' '}
            </>
          )}
          <button type="button" onClick={() => dismiss(t.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
