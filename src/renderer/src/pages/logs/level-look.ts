import type { IconName } from '../../components/Icon';
import type { LogLevel } from '../../stores/logs';

/** Each level as a word, an icon and a class: never colour alone. */
export const LEVEL_LOOK: Record<LogLevel, { icon: IconName; className: string }> = {
  error: { icon: 'stop', className: 'lvl-error' },
  warning: { icon: 'warn', className: 'lvl-warning' },
  info: { icon: 'info', className: 'lvl-info' },
  debug: { icon: 'dot', className: 'lvl-debug' },
};

export const LEVELS: LogLevel[] = ['error', 'warning', 'info', 'debug'];
