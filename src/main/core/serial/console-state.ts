import { escapeRegExp } from '../util/regex';

/** What the gateway's console shows right now. */
export type ConsoleState =
  'autoboot' | 'uboot' | 'kernel' | 'login' | 'shell' | 'silent' | 'garbled' | 'unknown';

/**
 * Classify what arrived on the console, looking at its tail first: the prompt that waits for
 * input decides. Mostly unprintable text is 'garbled': the wrong baud rate.
 */
export function classify(text: string, ubootPrompt = '=> '): ConsoleState {
  const clean = text.replace(/\r/g, '');
  if (!clean.trim()) return 'silent';
  const tail = clean.slice(-300);
  if (/Hit any key to stop autoboot|Autoboot in \d+ seconds/i.test(tail)) return 'autoboot';
  // Joined mid-countdown: only its ticks arrive, each backspacing over the last number.
  const ticks = tail.trim().replaceAll(String.fromCharCode(8), '<');
  if (/^(?:<+ *\d+ *)+$/.test(ticks)) return 'autoboot';
  if (tail.trimEnd().endsWith(ubootPrompt.trim()) && tail.endsWith(' ')) return 'uboot';
  if (new RegExp(`${escapeRegExp(ubootPrompt.trim())}\\s*$`).test(tail)) return 'uboot';
  if (/login:\s*$/i.test(tail) || /Password:\s*$/i.test(tail)) return 'login';
  if (/[#$]\s*$/.test(tail)) return 'shell';
  if (/\[\s*\d+\.\d+\]/.test(tail)) return 'kernel';
  return garbled(tail) ? 'garbled' : 'unknown';
}

/** Mostly unprintable bytes: the signature of a wrong baud rate. */
export function garbled(text: string): boolean {
  if (text.length < 8) return false;
  const bad = [...text].filter((c) => {
    const code = c.charCodeAt(0);
    return (code < 32 && !'\n\r\t\b'.includes(c)) || code > 126;
  }).length;
  return bad / text.length > 0.3;
}
