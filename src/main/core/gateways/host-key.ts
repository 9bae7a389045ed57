import { createHash } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';

/** OpenSSH's fingerprint of a host key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named at the start of an SSH wire-format key blob (`ssh-ed25519`, …). */
export function algorithmOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  if (len <= 0 || len > 64 || 4 + len > keyBlob.length) return 'unknown';
  return keyBlob.subarray(4, 4 + len).toString('ascii');
}

/** Fingerprints compare without the base64 padding some tools print. */
export function sameFingerprint(a: string, b: string): boolean {
  return a.replace(/=+$/, '') === b.replace(/=+$/, '');
}

/**
 * How a host key is judged. `pinned` is the stored key; with none, `acceptNew` decides whether
 * the offered one is trusted (the caller then pins it) or refused.
 */
export interface HostKeyCheck {
  pinned: { fingerprint: string } | null;
  acceptNew: boolean;
  /** A fingerprint the user has just confirmed: a first key must equal it. */
  expected?: string;
}

/** Null when the offered key is acceptable; otherwise the error that explains why not. */
export function judgeHostKey(
  offered: { algorithm: string; fingerprint: string },
  check: HostKeyCheck,
  t: { host: string; port: number },
): RiggerError | null {
  if (check.pinned) {
    if (sameFingerprint(check.pinned.fingerprint, offered.fingerprint)) return null;
    return new RiggerError(
      'HOST_KEY_CHANGED',
      `The host key of ${t.host}:${t.port} has changed: stored ${check.pinned.fingerprint}, offered ${offered.fingerprint}. Rigger did not connect.`,
      {
        host: t.host,
        port: t.port,
        stored_fingerprint: check.pinned.fingerprint,
        offered_fingerprint: offered.fingerprint,
        algorithm: offered.algorithm,
      },
      [
        'If the gateway was re-installed or replaced, confirm its new key and replace the stored one',
        'Otherwise do not connect: something may be impersonating the gateway',
      ],
    );
  }
  if (check.expected) {
    if (sameFingerprint(check.expected, offered.fingerprint)) return null;
    return new RiggerError(
      'HOST_KEY_CHANGED',
      `The gateway at ${t.host}:${t.port} offered ${offered.fingerprint}, not the key ${check.expected} that was confirmed`,
      {
        host: t.host,
        port: t.port,
        stored_fingerprint: check.expected,
        offered_fingerprint: offered.fingerprint,
        algorithm: offered.algorithm,
      },
      ["Check the gateway's key again before trusting it"],
    );
  }
  if (check.acceptNew) return null;
  return new RiggerError(
    'HOST_KEY_UNKNOWN',
    `First connection to ${t.host}:${t.port}: its host key ${offered.fingerprint} (${offered.algorithm}) is not trusted yet`,
    {
      host: t.host,
      port: t.port,
      offered_fingerprint: offered.fingerprint,
      algorithm: offered.algorithm,
    },
    [
      "Compare the fingerprint with the gateway's own key, then trust it",
      'On the command line add --accept-new-host-key',
    ],
  );
}
