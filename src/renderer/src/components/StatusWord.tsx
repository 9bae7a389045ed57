import { Icon } from './Icon';
import { statusLook } from './status-look';

/** A status as an icon and a word together, never colour alone. */
export function StatusWord({ status, testId }: { status: string; testId?: string }) {
  const look = statusLook(status);
  return (
    <span className={`status status-${look.tone}`} data-testid={testId}>
      <Icon name={look.icon} /> {status}
    </span>
  );
}
