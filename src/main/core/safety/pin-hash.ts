import { scryptSync, timingSafeEqual } from 'node:crypto';

/**
 * scrypt cost: N = 2^16, r = 8 (64 MiB) makes one guess cost about 0.3 s on a loaded laptop
 * (measured: 2^14 took 80 ms), so the five tries before a lockout are all an attacker gets
 * cheaply, and an offline guess of a 4-digit PIN takes an hour, not a minute.
 */
const CURRENT = { N: 65536, r: 8, p: 1 } as const;
/** Hashes stored before the parameters were kept with them. */
const LEGACY = { N: 16384, r: 8, p: 1 } as const;

type Params = { N: number; r: number; p: number };

const scrypt = (pin: string, salt: string, q: Params) =>
  scryptSync(pin, Buffer.from(salt, 'hex'), 32, { ...q, maxmem: 256 * q.N * q.r }).toString('hex');

/** Salted scrypt hash of a PIN with the current parameters, as `scrypt:N:r:p:hex`. */
export function hashPin(pin: string, salt: string): string {
  const { N, r, p } = CURRENT;
  return `scrypt:${N}:${r}:${p}:${scrypt(pin, salt, CURRENT)}`;
}

const parse = (stored: string): { q: Params; hex: string } => {
  const m = /^scrypt:(\d+):(\d+):(\d+):([0-9a-f]+)$/.exec(stored);
  if (!m) return { q: LEGACY, hex: stored };
  return { q: { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }, hex: m[4]! };
};

/** Does `pin` match a stored hash (current or legacy parameters)? Constant-time compare. */
export function pinMatches(pin: string, salt: string, stored: string): boolean {
  const { q, hex } = parse(stored);
  const a = Buffer.from(scrypt(pin, salt, q), 'hex');
  const b = Buffer.from(hex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Was `stored` made with weaker parameters than today's? */
export const isLegacyHash = (stored: string): boolean => parse(stored).q.N < CURRENT.N;
