import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Device tokens: 32 random bytes shown once, stored as their SHA-256. A token carries 256 bits of
 * chance, so a plain hash (no salt, no slow KDF) is as safe to keep as a password hash would be.
 */
const PREFIX = 'dev_';
/** The longest token a device may present; longer headers are refused before hashing. */
export const MAX_TOKEN_CHARS = 256;

/** A fresh token for a device (what the device keeps) and its hash (what Rigger keeps). */
export function issueToken(): { token: string; hash: string } {
  const token = PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Does `presented` match the stored hash? Compared in constant time; a missing hash never matches. */
export function tokenMatches(presented: string, storedHash: string | null): boolean {
  if (presented.length === 0 || presented.length > MAX_TOKEN_CHARS) return false;
  const a = Buffer.from(hashToken(presented), 'hex');
  // A revoked device still costs a full compare, so its answer takes as long as a wrong token's.
  const b = Buffer.from(storedHash ?? '0'.repeat(64), 'hex');
  return b.length === a.length && timingSafeEqual(a, b) && storedHash !== null;
}
