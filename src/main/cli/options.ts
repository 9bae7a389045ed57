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

/*
 * The same checks as commander argument parsers: a bad value is refused while the command line
 * is parsed, before the command connects to anything or changes anything.
 */

/** Parser for `--slot`. */
export const asSlot = (value: string): 'A' | 'B' => slotOption(value);

/** Parser for a whole-number option within bounds. */
export const asWhole =
  (flag: string, min: number, max: number) =>
  (value: string): number =>
    wholeOption(value, flag, min, max);

/** Parser for `--baud`: a serial line rate (8N1), up to what USB-to-serial adapters reach. */
export const asBaud = asWhole('--baud', 1, 4_000_000);

/** Parser for an option that takes one of a set of words. */
export const asChoice =
  <T extends string>(flag: string, choices: readonly T[]) =>
  (value: string): T =>
    choiceOption(value, flag, choices);
