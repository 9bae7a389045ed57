import { RiggerError } from '../../shared/errors';

/** A bad option value: the usual VALIDATION_ERROR, naming the flag and what it takes. */
function invalid(flag: string, wants: string, given: string): RiggerError {
  return new RiggerError(
    'VALIDATION_ERROR',
    `${flag} takes ${wants}, not "${given}"`,
    { issues: [{ field: flag.replace(/^--/, ''), problem: `must be ${wants}` }] },
    [`Give ${flag} ${wants}`],
  );
}

/** `--slot a` or `--slot B`: a slot letter in any case; anything else is refused. */
export function slotOption(value: string, flag = '--slot'): 'A' | 'B' {
  const slot = value.trim().toUpperCase();
  if (slot === 'A' || slot === 'B') return slot;
  throw invalid(flag, 'A or B', value);
}

/** The optional form of `slotOption`: undefined stays undefined. */
export const maybeSlot = (value: string | undefined, flag = '--slot') =>
  value === undefined ? undefined : slotOption(value, flag);

/** A whole number within bounds (`--reboot-delay 5`, `--limit 50`). */
export function wholeOption(value: string, flag: string, min: number, max: number): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw invalid(flag, `a whole number from ${min} to ${max}`, value);
  return n;
}

/** One of a fixed set of words (`--type complete`, `--compression gzip`). */
export function choiceOption<T extends string>(
  value: string,
  flag: string,
  choices: readonly T[],
): T {
  const hit = choices.find((c) => c === value.trim().toLowerCase());
  if (hit === undefined) throw invalid(flag, choices.join(' or '), value);
  return hit;
}
