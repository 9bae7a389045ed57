import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrustedSite, TrustSiteResult } from '../../../../shared/backup-places-api';
import { RiggerError } from '../../../../shared/errors';
import { ensureDir, writeFileAtomic } from '../../backup/files';
import { keyFingerprint } from '../../images/fingerprint';

/** Largest key file read: a PEM public key is a few hundred bytes. */
const MAX_KEY_BYTES = 4096;
const MAX_KEYS = 256;

interface KeyFile {
  file: string;
  name: string;
  key: KeyObject;
  fingerprint: string;
  added_at: string;
}

/** The `.pub` files of the trusted-sites folder that hold a public key (others are ignored). */
function keyFiles(dir: string): KeyFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.pub'));
  } catch {
    return [];
  }
  const out: KeyFile[] = [];
  for (const n of names.slice(0, MAX_KEYS)) {
    const file = join(dir, n);
    try {
      const st = statSync(file);
      if (st.size > MAX_KEY_BYTES) continue;
      const key = createPublicKey(readFileSync(file));
      out.push({
        file,
        name: n.slice(0, -'.pub'.length),
        key,
        fingerprint: keyFingerprint(key),
        added_at: st.mtime.toISOString(),
      });
    } catch {
      // Not a key: ignored, as a stray file in that folder should be.
    }
  }
  return out;
}

/** Public keys of other sites this one trusts (their backups import as verified). */
export function trustedSiteKeys(dir: string): KeyObject[] {
  return keyFiles(dir).map((k) => k.key);
}

/** The trusted site keys, for a person to read: name, fingerprint, since when. */
export function listTrustedSites(dir: string): TrustedSite[] {
  return keyFiles(dir).map(({ name, fingerprint, added_at }) => ({ name, fingerprint, added_at }));
}

/** A site key read from PEM text: Ed25519 public keys only, as site keys are. */
function parseSiteKey(pem: string): KeyObject {
  if (pem.length > MAX_KEY_BYTES)
    throw new RiggerError('VALIDATION_ERROR', 'That is too long to be a site key', {
      length: pem.length,
      limit: MAX_KEY_BYTES,
    });
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new RiggerError('VALIDATION_ERROR', 'That is not a PEM public key', {}, [
      "Use the other site's site-signing.pub (in its backup folder, or `rigger backup trust show`)",
    ]);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new RiggerError(
      'VALIDATION_ERROR',
      `A site key is an Ed25519 key, not ${key.asymmetricKeyType}`,
      { type: key.asymmetricKeyType },
    );
  return key;
}

/**
 * Trust another site's backup signing key in two steps: without `confirm_fingerprint` (or with
 * one that is not this key's) nothing is written and the answer shows the fingerprint to
 * compare with the other site; with it, the key is kept.
 */
export function trustSite(
  dir: string,
  req: { pem: string; name?: string; confirm_fingerprint?: string },
  ownFingerprint: string,
): TrustSiteResult {
  const key = parseSiteKey(req.pem);
  const fingerprint = keyFingerprint(key);
  if (fingerprint === ownFingerprint)
    throw new RiggerError('VALIDATION_ERROR', "That is this site's own key: it needs no trust", {
      fingerprint,
    });
  const name = (req.name ?? `site-${fingerprint.slice(7, 19)}`).replace(/[^A-Za-z0-9_.-]/g, '-');
  const known = keyFiles(dir).find((k) => k.fingerprint === fingerprint);
  if (known) return { status: 'trusted', name: known.name, fingerprint, already: true };
  if (req.confirm_fingerprint !== fingerprint)
    return {
      status: 'confirm',
      name,
      fingerprint,
      message: `Compare ${fingerprint} with the other site's, then confirm it to trust this key`,
    };
  if (keyFiles(dir).some((k) => k.name === name))
    throw new RiggerError('ALREADY_EXISTS', `A trusted site is already named ${name}`, { name }, [
      'Give it another name',
    ]);
  ensureDir(dir);
  writeFileAtomic(join(dir, `${name}.pub`), key.export({ type: 'spki', format: 'pem' }));
  return { status: 'trusted', name, fingerprint, already: false };
}

/** Stop trusting a site key: its backups already imported stay, new imports are refused. */
export function revokeSite(dir: string, fingerprint: string): { revoked: true; name: string } {
  const k = keyFiles(dir).find((x) => x.fingerprint === fingerprint);
  if (!k)
    throw new RiggerError('NOT_FOUND', `No trusted site key ${fingerprint}`, { fingerprint }, [
      'rigger backup trust list shows the trusted ones',
    ]);
  rmSync(k.file, { force: true });
  return { revoked: true, name: k.name };
}
