import type { ReactNode } from 'react';

/** A label and what is known of it. */
export type Fact = readonly [label: string, value: ReactNode];

/** Facts as a definition list, one row each. */
export function Facts({ rows, testId }: { rows: readonly Fact[]; testId?: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {rows.map(([label, value]) => (
        <div key={label} className="fact">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
