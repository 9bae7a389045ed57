import { execFileSync, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Bundles made the way a vendor's own tooling would, with openssl, GNU tar and gzip, not with
 * Rigger's `bundle create`, so the import is tested against an independent producer.
 */

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sh = (cmd: string, cwd?: string) =>
  execSync(cmd, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** An Ed25519 key pair made by openssl. */
export function opensslEd25519(dir: string, name = 'vendor'): { key: string; pub: string } {
  const key = join(dir, `${name}.key`);
  const pub = join(dir, `${name}.pub`);
  sh(`openssl genpkey -algorithm ed25519 -out ${key}`);
  sh(`openssl pkey -in ${key} -pubout -out ${pub}`);
  return { key, pub };
}

/**
 * A CA and a leaf certificate issued by it, made by openssl: ECDSA P-256 keys, or RSA 2048 with
 * `keyType: 'rsa'`. `leafDates` (YYYYMMDDHHMMSSZ) sets the leaf's validity (openssl ca), e.g. in
 * the past for an expired certificate.
 */
export function opensslCa(
  dir: string,
  opts: {
    name?: string;
    leafDays?: number;
    eku?: string;
    keyType?: 'ec' | 'rsa';
    leafDates?: { start: string; end: string };
  } = {},
) {
  const n = opts.name ?? 'ca';
  const p = (f: string) => join(dir, `${n}-${f}`);
  const key =
    opts.keyType === 'rsa' ? '-newkey rsa:2048' : '-newkey ec -pkeyopt ec_paramgen_curve:P-256';
  sh(
    `openssl req -x509 ${key} -nodes -keyout ${p('ca.key')} -out ${p('ca.crt')} -days 30 -subj "/CN=${n} Root CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign`,
  );
  sh(
    `openssl req ${key} -nodes -keyout ${p('leaf.key')} -out ${p('leaf.csr')} -subj "/CN=${n} Signing"`,
  );
  const ext = `extendedKeyUsage=${opts.eku ?? 'codeSigning'}\nbasicConstraints=CA:FALSE\n`;
  if (opts.leafDates) {
    // openssl x509 (3.0) cannot set dates in the past; openssl ca can.
    writeFileSync(p('index.txt'), '');
    writeFileSync(p('serial'), '01\n');
    writeFileSync(
      p('ca.cnf'),
      `[ca]\ndefault_ca = c\n[c]\ndatabase = ${p('index.txt')}\nnew_certs_dir = ${dir}\nserial = ${p('serial')}\ndefault_md = sha256\npolicy = p\nx509_extensions = ext\n[p]\ncommonName = supplied\n[ext]\n${ext}`,
    );
    sh(
      `openssl ca -batch -config ${p('ca.cnf')} -cert ${p('ca.crt')} -keyfile ${p('ca.key')} -in ${p('leaf.csr')} -out ${p('leaf.crt')} -startdate ${opts.leafDates.start} -enddate ${opts.leafDates.end} -notext`,
    );
    return { caCrt: p('ca.crt'), leafKey: p('leaf.key'), leafCrt: p('leaf.crt') };
  }
  writeFileSync(p('ext.cnf'), ext);
  sh(
    `openssl x509 -req -in ${p('leaf.csr')} -CA ${p('ca.crt')} -CAkey ${p('ca.key')} -CAcreateserial -out ${p('leaf.crt')} -days ${opts.leafDays ?? 10} -extfile ${p('ext.cnf')}`,
  );
  return { caCrt: p('ca.crt'), leafKey: p('leaf.key'), leafCrt: p('leaf.crt') };
}

/** A deterministic raw image of `size` bytes. */
export function makeRawImage(path: string, size: number, seed = 'image'): Buffer {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < size; off += 32) {
    block = createHash('sha256').update(block).digest();
    block.copy(out, off, 0, Math.min(32, size - off));
  }
  writeFileSync(path, out);
  return out;
}

export interface BundleOpts {
  version?: string;
  id?: string;
  gzipImage?: boolean;
  gzipTar?: boolean;
  models?: string[];
  revisions?: string[];
  prerequisites?: string[];
  size?: number;
  /** Change the manifest after the facts are filled (to break it). */
  tamper?: (m: Record<string, unknown>) => void;
  /** Sign with an Ed25519 key, or with a leaf key + certificate chain. */
  signer: { key: string } | { key: string; crt: string };
  /** With an RSA X.509 signer: sign with RSA-PSS instead of PKCS#1 v1.5. */
  pss?: boolean;
  /** Use this file as the (uncompressed) image instead of a generated one. */
  imageFile?: string;
  extraMembers?: string[];
}

/** Make a bundle directory's members and pack them; returns the bundle's path and its manifest. */
export function makeBundle(
  dir: string,
  name: string,
  o: BundleOpts,
): { path: string; manifest: Record<string, unknown>; image: Buffer } {
  const work = join(dir, `${name}.d`);
  mkdirSync(work, { recursive: true });
  const version = o.version ?? 'v5.0.5';
  let raw: Buffer;
  if (o.imageFile) {
    copyFileSync(o.imageFile, join(work, 'gateway.img'));
    raw = readFileSync(join(work, 'gateway.img'));
  } else raw = makeRawImage(join(work, 'gateway.img'), o.size ?? 300_000, `${name}-${version}`);
  let file = 'gateway.img';
  if (o.gzipImage !== false) {
    sh('gzip -n -6 -f gateway.img', work);
    file = 'gateway.img.gz';
  }
  const stored = readFileSync(join(work, file));
  const manifest: Record<string, unknown> = {
    manifest: 1,
    id: o.id ?? `univa-gw-pro-${version}`,
    version,
    type: 'security',
    severity: 'critical',
    channel: 'stable',
    released: '2025-03-15',
    description: 'Security patches for kernel vulnerabilities and network stack improvements.',
    changelog: ['Fixed CVE-2025-1234 (Kernel memory leak)'],
    compatible: {
      models: o.models ?? ['Univa-GW-Pro'],
      hardware_revisions: o.revisions ?? ['RevA', 'RevB'],
    },
    prerequisites: o.prerequisites ?? ['v5.0.0+'],
    image: {
      file,
      format: 'raw',
      compression: o.gzipImage === false ? 'none' : 'gzip',
      size: raw.length,
      sha256: sha256(raw),
      compressed_size: stored.length,
      compressed_sha256: sha256(stored),
    },
  };
  o.tamper?.(manifest);
  writeFileSync(join(work, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const mf = join(work, 'manifest.json');
  // Ed25519 signs the bytes themselves; ECDSA signs their SHA-256 (openssl dgst).
  const signature =
    'crt' in o.signer
      ? execFileSync('openssl', [
          'dgst',
          '-sha256',
          '-sign',
          o.signer.key,
          ...(o.pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'] : []),
          mf,
        ])
      : execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', o.signer.key, '-rawin', '-in', mf]);
  writeFileSync(join(work, 'manifest.sig'), signature.toString('base64') + '\n');
  const members = ['manifest.json', 'manifest.sig', file];
  if ('crt' in o.signer) {
    writeFileSync(join(work, 'manifest.crt'), readFileSync(o.signer.crt));
    members.splice(2, 0, 'manifest.crt');
  }
  members.push(...(o.extraMembers ?? []));
  const tarPath = join(dir, `${name}.tar`);
  execFileSync('tar', ['-C', work, '-cf', tarPath, ...members]);
  if (o.gzipTar === false) return { path: tarPath, manifest, image: raw };
  execFileSync('gzip', ['-n', '-f', tarPath]);
  return { path: `${tarPath}.gz`, manifest, image: raw };
}
