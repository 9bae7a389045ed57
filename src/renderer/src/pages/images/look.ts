import type { SignatureState } from '../../../../shared/images';
import type { IconName } from '../../components/Icon';

/** Sizes for people: 452 MB, 1.2 GB (decimal, as on a USB stick's label). */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1000;
    i++;
  } while (v >= 1000 && i < units.length - 1);
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A signature state as icon and tone, always with its word. */
export function signatureLook(s: SignatureState | null): { icon: IconName; tone: string } {
  if (s === 'verified') return { icon: 'check', tone: 'ok' };
  if (s === 'invalid') return { icon: 'cross', tone: 'bad' };
  if (s === 'unsigned') return { icon: 'warn', tone: 'warn' };
  return { icon: 'question', tone: 'muted' };
}
