import { statusLook } from './status-look';

/** A status as an icon and a word together, never colour alone. */
export function StatusWord({ status, testId }: { status: string; testId?: string }) {
  const look = statusLook(status);
  return (
    <span className={`status status-${look.tone}`} data-testid={testId}>
      <span aria-hidden="true" className="status-icon">
        {look.icon}
      </span>{' '}
      {status}
    </span>
  );
}
