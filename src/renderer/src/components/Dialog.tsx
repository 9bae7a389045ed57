import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { focusables, holdBackground } from './focusables';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  tone?: 'normal' | 'danger';
  /** Test id of the dialog box. */
  testId?: string;
}

/**
 * A modal dialog: the page behind goes inert, focus moves in (to the element marked
 * `data-autofocus`, else the first control) and is trapped, Escape closes, focus returns after.
 */
export function Dialog({ title, onClose, children, tone = 'normal', testId }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  // The latest onClose without re-running the effect (which would steal focus on each render).
  const closeRef = useRef(onClose);
  useEffect(() => {
    closeRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const box = ref.current!;
    const release = holdBackground();
    const first = box.querySelector<HTMLElement>('[data-autofocus]') ?? focusables(box)[0] ?? box;
    first.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        closeRef.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = focusables(box);
      if (!items.length) return e.preventDefault();
      const head = items[0]!;
      const tail = items[items.length - 1]!;
      const inside = box.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === head || !inside)) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && (document.activeElement === tail || !inside)) {
        e.preventDefault();
        head.focus();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      release();
      // Back where the technician was; if that is gone, to the page heading, not to nowhere.
      if (before?.isConnected && before !== document.body) before.focus();
      else document.getElementById('page-title')?.focus();
    };
  }, []);

  return createPortal(
    <div className="backdrop">
      <div
        ref={ref}
        className={`dialog dialog-${tone}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={testId}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </div>,
    document.body,
  );
}
