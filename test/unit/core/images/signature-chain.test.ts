import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import {
  verifyManifestSignature,
  type TrustAnchors,
} from '../../../../src/main/core/images/signature';

const dir = mkdtempSync(join(tmpdir(), 'rigger-chain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const f = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });

/** A P-256 key and CSR made by openssl. */
function keyAndCsr(name: string, cn: string): void {
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    f(`${name}.key`),
    '-out',
    f(`${name}.csr`),
    '-subj',
    `/CN=${cn}`,
  );
}

/** Issue `name`'s certificate with `issuer`'s key and the given extensions. */
function issue(name: string, issuer: string, ext: string): void {
  writeFileSync(f(`${name}.cnf`), ext);
  openssl(
    'x509',
    '-req',
    '-in',
    f(`${name}.csr`),
    '-CA',
    f(`${issuer}.crt`),
    '-CAkey',
    f(`${issuer}.key`),
    '-CAcreateserial',
    '-out',
    f(`${name}.crt`),
    '-days',
    '5',
    '-extfile',
    f(`${name}.cnf`),
  );
}

// A trusted root; a real intermediate CA; and a TLS server certificate that is not a CA.
openssl(
  'req',
  '-x509',
  '-newkey',
  'ec',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
  '-nodes',
  '-keyout',
  f('root.key'),
  '-out',
  f('root.crt'),
  '-days',
  '30',
  '-subj',
  '/CN=Vendor Root CA',
  '-addext',
  'basicConstraints=critical,CA:TRUE',
  '-addext',
  'keyUsage=critical,keyCertSign',
);
keyAndCsr('inter', 'Vendor Build CA');
issue('inter', 'root', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n');
keyAndCsr('tls', 'updates.vendor.example');
issue('tls', 'root', 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n');
keyAndCsr('good', 'Vendor Signer');
issue('good', 'inter', 'extendedKeyUsage=codeSigning\n');
keyAndCsr('evil', 'Evil Signer');
issue('evil', 'tls', 'extendedKeyUsage=codeSigning\n');

const manifest = Buffer.from('{"manifest":1}\n');
const sigBy = (name: string) =>
  Buffer.from(
    sign('sha256', manifest, createPrivateKey(readFileSync(f(`${name}.key`)))).toString('base64'),
  );
const pem = (...names: string[]) => names.map((n) => readFileSync(f(`${n}.crt`), 'utf8')).join('');
const anchors: TrustAnchors = {
  ed25519: [],
  cas: [{ fingerprint: 'root', name: 'Vendor Root CA', cert: new X509Certificate(pem('root')) }],
};

describe('X.509 chains', () => {
  it('accepts a leaf under an intermediate CA that chains to the trusted root', () => {
    const v = verifyManifestSignature(manifest, sigBy('good'), pem('good', 'inter'), anchors);
    expect(v.signer_name).toBe('Vendor Signer');
    expect(v.signer).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('refuses a chain through a certificate that is not a CA (OTA_006)', () => {
    // openssl itself refuses this chain: "invalid CA certificate".
    expect(() =>
      openssl('verify', '-CAfile', f('root.crt'), '-untrusted', f('tls.crt'), f('evil.crt')),
    ).toThrow();
    let err: unknown;
    try {
      verifyManifestSignature(manifest, sigBy('evil'), pem('evil', 'tls'), anchors);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RiggerError);
    expect((err as RiggerError).code).toBe('OTA_006');
    expect((err as RiggerError).details.signer_fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
