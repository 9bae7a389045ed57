import { Icon } from './Icon';
import type { ReactNode } from 'react';
import type { RiggerErrorData } from '../../../shared/errors';
import { nextSteps } from './next-steps';

interface Props {
  error: RiggerErrorData;
  title?: string;
  testId?: string;
  /** Buttons that act on the error (retry, show the key again…). */
  children?: ReactNode;
}

/** An error as a technician needs it: what happened, what to do next, the code small for support. */
export function ErrorPanel({ error, title = 'Something went wrong', testId, children }: Props) {
  const steps = nextSteps(error);
  return (
    <div className="panel panel-error" role="alert" data-testid={testId ?? 'error-panel'}>
      <p className="panel-title">
        <Icon name="stop" /> {title}
      </p>
      <p className="error-message">{error.message}</p>
      {steps.length > 0 && (
        <>
          <p className="panel-sub">What to do next:</p>
          <ul className="next-steps">
            {steps.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
      {children && <div className="actions">{children}</div>}
      <p className="code">
        Error code <span data-testid="error-code">{error.code}</span>
      </p>
    </div>
  );
}
