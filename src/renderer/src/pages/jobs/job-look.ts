import type { IconName } from '../../components/Icon';

/** A job status as a word, an icon and a tone: never colour alone. */
export function jobLook(status: string): { icon: IconName; tone: 'ok' | 'warn' | 'bad' | 'muted' } {
  if (status === 'success') return { icon: 'check', tone: 'ok' };
  if (status === 'failed') return { icon: 'stop', tone: 'bad' };
  if (status === 'interrupted' || status === 'paused_safety') return { icon: 'warn', tone: 'warn' };
  if (status === 'cancelled') return { icon: 'cross', tone: 'muted' };
  if (status === 'downloaded') return { icon: 'ring', tone: 'muted' };
  return { icon: 'sync', tone: 'muted' };
}

export { jobKind } from '../../../../shared/format/job-name';
