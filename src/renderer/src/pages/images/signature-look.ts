import type { SignatureState } from '../../../../shared/images';
import type { IconName } from '../../components/Icon';

/** A signature state as icon and tone, always with its word. */
export function signatureLook(s: SignatureState | null): { icon: IconName; tone: string } {
  if (s === 'verified') return { icon: 'check', tone: 'ok' };
  if (s === 'invalid') return { icon: 'cross', tone: 'bad' };
  if (s === 'unsigned') return { icon: 'warn', tone: 'warn' };
  return { icon: 'question', tone: 'muted' };
}
