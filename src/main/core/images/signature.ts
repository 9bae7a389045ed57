import { createPublicKey, verify, X509Certificate, constants, type KeyObject } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';
import { keyFingerprint } from './fingerprint';

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';

export interface TrustAnchors {
  ed25519: Array<{ fingerprint: string; key: KeyObject; name: string }>;
  cas: Array<{ fingerprint: string; cert: X509Certificate; name: string }>;
}

export interface SignatureVerdict {
  signer: string;
  signer_name: string;
}

/** Does `sig` verify `data` under `key`, for the algorithms IMAGE-BUNDLE.md allows? */
function verifies(key: KeyObject, data: Buffer, sig: Buffer): boolean {
  try {
    switch (key.asymmetricKeyType) {
      case 'ed25519':
        return verify(null, data, key, sig);
      case 'ec':
        return verify('sha256', data, key, sig);
      case 'rsa':
        return (
          verify('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, sig) ||
          verify(
            'sha256',
            data,
            {
              key,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: constants.RSA_PSS_SALTLEN_AUTO,
            },
            sig,
          )
        );
      case 'rsa-pss':
        return verify('sha256', data, { key, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
      default:
        return false;
    }
  } catch {
    return false;
  }
}

const rejected = (message: string, details: Record<string, unknown>, first: string[] = []) =>
  new RiggerError('OTA_006', message, details, [
    ...first,
    'Check that the bundle comes from your vendor',
    'If you trust its signer, add their key or CA in Settings → Trusted keys (rigger keys add FILE), then import again',
  ]);

/** Split a PEM bundle into certificates (leaf first). */
function certificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

/** Verify `manifest.sig` over the exact bytes of `manifest.json`, against the trusted keys and CAs. */
export function verifyManifestSignature(
  manifest: Buffer,
  sigFile: Buffer,
  certPem: string | null,
  anchors: TrustAnchors,
  now: Date = new Date(),
): SignatureVerdict {
  const sig = Buffer.from(sigFile.toString('ascii').trim(), 'base64');
  if (!sig.length) throw rejected('manifest.sig holds no base64 signature', {});

  if (!certPem) {
    for (const k of anchors.ed25519)
      if (verifies(k.key, manifest, sig)) return { signer: k.fingerprint, signer_name: k.name };
    throw rejected(
      (sig.length === 64
        ? 'The bundle is signed with an Ed25519 key that is not among the trusted keys (or the signature is wrong). '
        : `manifest.sig is not an Ed25519 signature (${sig.length} bytes, not 64). `) +
        // Honest about what can be known: IMAGE-BUNDLE.md puts no key or key id in an Ed25519
        // bundle, and an Ed25519 signature does not reveal its key.
        'Rigger cannot name the key that signed it: an Ed25519 bundle carries only the signature ' +
        '(no public key, and the manifest names no key id), and a key cannot be worked out from a ' +
        `signature. Tried ${anchors.ed25519.length} trusted key(s)` +
        (anchors.ed25519.length
          ? `: ${anchors.ed25519.map((k) => k.fingerprint).join(', ')}.`
          : '.'),
      {
        signer_fingerprint: null,
        signer_identifiable: false,
        why_unknown:
          'An Ed25519 bundle holds manifest.json, manifest.sig and the image only; the signature does not identify its key',
        signature_bytes: sig.length,
        trusted_keys: anchors.ed25519.map((k) => k.fingerprint),
      },
      [
        'Ask the vendor for their public key and compare its fingerprint (rigger keys add shows it) before trusting it',
      ],
    );
  }

  let chain: X509Certificate[];
  try {
    chain = certificates(certPem);
  } catch (err) {
    throw rejected(`manifest.crt is not a valid PEM certificate: ${(err as Error).message}`, {});
  }
  const leaf = chain[0];
  if (!leaf) throw rejected('manifest.crt holds no certificate', {});
  const signer = keyFingerprint(leaf.publicKey);
  const details = { signer_fingerprint: signer, signer_subject: leaf.subject };
  if (!verifies(leaf.publicKey, manifest, sig))
    throw rejected(`The signature does not verify with the certificate's key (${signer})`, details);
  const eku = leaf.keyUsage;
  if (eku && eku.length && !eku.includes(CODE_SIGNING)) {
    throw rejected(`The signing certificate (${signer}) is not for code signing`, {
      ...details,
      extended_key_usage: eku,
    });
  }
  for (const c of chain) {
    if (now < new Date(c.validFrom) || now > new Date(c.validTo)) {
      throw rejected(
        `The certificate "${c.subject.replace(/\n/g, ', ')}" is not valid now (valid ${c.validFrom} to ${c.validTo})`,
        {
          ...details,
          valid_from: c.validFrom,
          valid_to: c.validTo,
        },
      );
    }
  }
  // Walk up: each certificate must be issued and signed by the next, ending at a trusted CA.
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i]!;
    const anchor = anchors.cas.find(
      (ca) => cert.checkIssued(ca.cert) && cert.verify(ca.cert.publicKey),
    );
    if (anchor) {
      if (now > new Date(anchor.cert.validTo))
        throw rejected(`The trusted CA "${anchor.name}" has expired`, details);
      return {
        signer,
        signer_name:
          leaf.subject
            .split('\n')
            .find((l) => l.startsWith('CN='))
            ?.slice(3) ?? leaf.subject,
      };
    }
    const issuer = chain[i + 1];
    // An issuer must itself be a CA: otherwise any leaf the CA issued (a TLS server's, say)
    // could mint its holder a code-signing certificate that "chains" (openssl: invalid CA).
    if (!issuer?.ca || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) break;
  }
  throw rejected(`The signing certificate (${signer}) does not chain to a trusted CA`, details);
}

/** Read a trusted key or CA file: an Ed25519 public key (PEM SPKI) or a CA certificate (PEM). */
export function parseTrustFile(pem: string): {
  kind: 'ed25519' | 'x509-ca';
  fingerprint: string;
  name: string;
  not_after: string | null;
  pem: string;
} {
  if (pem.includes('BEGIN CERTIFICATE')) {
    const cert = new X509Certificate(pem);
    if (!cert.ca)
      throw new RiggerError(
        'VALIDATION_ERROR',
        'This certificate is not a CA certificate: add the CA that issued it',
        { subject: cert.subject },
      );
    return {
      kind: 'x509-ca',
      fingerprint: keyFingerprint(cert.publicKey),
      name: cert.subject.replace(/\n/g, ', '),
      not_after: new Date(cert.validTo).toISOString(),
      pem: cert.toString(),
    };
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (err) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Not a PEM public key or CA certificate: ${(err as Error).message}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Trusted keys are Ed25519 public keys or CA certificates, not ${key.asymmetricKeyType}`,
    );
  }
  const fp = keyFingerprint(key);
  return {
    kind: 'ed25519',
    fingerprint: fp,
    name: `Ed25519 ${fp.slice(7, 23)}`,
    not_after: null,
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
