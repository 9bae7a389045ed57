/** The icons Rigger draws itself (no icon font: every glyph renders on every machine). */
export type IconName =
  'check' | 'cross' | 'warn' | 'stop' | 'info' | 'dot' | 'ring' | 'sync' | 'question' | 'next';

const PATHS: Record<IconName, { d: string; fill?: boolean }> = {
  check: { d: 'M4 12.5l5 5L20 6.5' },
  cross: { d: 'M6 6l12 12M18 6L6 18' },
  warn: { d: 'M12 3L1.8 20.5h20.4L12 3zM12 9.5v5M12 17.2v.6' },
  stop: { d: 'M8 2.5h8l5.5 5.5v8L16 21.5H8L2.5 16V8zM12 7v6.5M12 16.5v.6' },
  info: { d: 'M12 2.8a9.2 9.2 0 1 0 0 18.4a9.2 9.2 0 1 0 0-18.4zM12 10.5v6.5M12 7.2v.6' },
  dot: { d: 'M12 6a6 6 0 1 0 0 12a6 6 0 1 0 0-12z', fill: true },
  ring: { d: 'M12 6a6 6 0 1 0 0 12a6 6 0 1 0 0-12z' },
  sync: { d: 'M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4v4.5H15' },
  question: {
    d: 'M12 2.8a9.2 9.2 0 1 0 0 18.4a9.2 9.2 0 1 0 0-18.4zM9.5 9.3a2.6 2.6 0 1 1 3.6 2.4c-.7.3-1.1.9-1.1 1.6v.7M12 16.6v.6',
  },
  next: { d: 'M7 4.5l12 7.5-12 7.5z', fill: true },
};

/** A small icon in the text's colour; decorative, so the words beside it carry the meaning. */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  const p = PATHS[name];
  return (
    <svg
      className={`icon ${className ?? ''}`}
      viewBox="0 0 24 24"
      width="1.1em"
      height="1.1em"
      aria-hidden="true"
      focusable="false"
      fill={p.fill ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={p.fill ? 1 : 2.6}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      <path d={p.d} />
    </svg>
  );
}
