import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { keyFingerprint } from '../images/fingerprint';
import { writeFileAtomic } from './files';

/**
 * The laptop's site signing key (Ed25519), made on first use beside the backups: it signs each
 * backup's manifest, so `signature_valid` says the manifest is the one this site wrote.
 */
export interface SiteKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
}

const PRIVATE = 'site-signing.key';
const PUBLIC = 'site-signing.pub';

/** Load the site key from `dir`, making it (private key 0600) the first time. */
export function loadSiteKey(dir: string): SiteKey {
  const priv = join(dir, PRIVATE);
  if (!existsSync(priv)) {
    const pair = generateKeyPairSync('ed25519');
    writeFileAtomic(priv, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileAtomic(join(dir, PUBLIC), pair.publicKey.export({ type: 'spki', format: 'pem' }));
  }
  const privateKey = createPrivateKey(readFileSync(priv));
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new RiggerError('VALIDATION_ERROR', `${priv} is not an Ed25519 private key`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, fingerprint: keyFingerprint(publicKey) };
}

/** Sign bytes with the site key. */
export const signWith = (k: SiteKey, data: Buffer): Buffer => sign(null, data, k.privateKey);

/** Does `sig` verify `data` under the site's public key? Never throws. */
export function verifiesWith(k: SiteKey, data: Buffer, sig: Buffer): boolean {
  try {
    return sig.length === 64 && verify(null, data, k.publicKey, sig);
  } catch {
    return false;
  }
}
