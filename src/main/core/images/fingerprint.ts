import { createHash, type KeyObject } from 'node:crypto';

/** A public key's fingerprint: `sha256:` + hex of its SPKI DER. One format for keys and CAs. */
export function keyFingerprint(key: KeyObject): string {
  return (
    'sha256:' +
    createHash('sha256')
      .update(key.export({ type: 'spki', format: 'der' }))
      .digest('hex')
  );
}
