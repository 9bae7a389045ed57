import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { create as createTar } from 'tar';
import { RiggerError } from '../../../shared/errors';
import { manifestSchema, type Manifest } from '../../../shared/images';
import { parseOrThrow } from '../../../shared/validation';
import { createBlobStore } from './blob-store';
import { keyFingerprint } from './fingerprint';
import { chunksOf, ingest } from './ingest';
import { checkManifestDraft, manifestDraftShape } from './manifest-draft';

/** Sign bytes with a private key by its type (Ed25519; ECDSA and RSA with SHA-256). */
function signWith(key: KeyObject, data: Buffer): Buffer {
  return key.asymmetricKeyType === 'ed25519' ? sign(null, data, key) : sign('sha256', data, key);
}

export interface BundleCreateRequest {
  image: string;
  manifest: string;
  key: string;
  cert?: string;
  out: string;
}

/**
 * Make a bundle a site can import: the manifest's image facts (size, hashes, compression) are
 * filled from the image itself, then the manifest is signed and everything is packed.
 */
export async function createBundle(
  req: BundleCreateRequest,
): Promise<{ path: string; manifest: Manifest; signer: string }> {
  const imageName = basename(req.image);
  const gzip = imageName.endsWith('.gz');
  let draft: Record<string, unknown>;
  try {
    draft = JSON.parse(readFileSync(req.manifest, 'utf8'));
  } catch (err) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The manifest ${req.manifest} cannot be read as JSON: ${(err as Error).message}\n\n${manifestDraftShape()}`,
    );
  }
  // Every wrong field at once, before a large image is read.
  checkManifestDraft(draft, req.manifest);
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(req.key));
  } catch (err) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The key ${req.key} is not a PEM private key: ${(err as Error).message}`,
    );
  }
  const work = mkdtempSync(join(tmpdir(), 'rigger-bundle-'));
  try {
    // Hash in one pass through a throwaway store: the same code the import uses.
    const scratch = createBlobStore(join(work, 'store'));
    const got = await ingest(chunksOf(createReadStream(req.image)), gzip, scratch);
    scratch.discard(got.temp);
    const prior = (draft.image ?? {}) as Record<string, unknown>;
    draft.manifest ??= 1;
    draft.image = {
      file: imageName,
      format: prior.format ?? (imageName.includes('.squashfs') ? 'squashfs' : 'raw'),
      compression: gzip ? 'gzip' : 'none',
      size: got.size,
      sha256: got.sha256,
      compressed_size: got.storedSize,
      compressed_sha256: got.storedSha256,
    };
    const manifest = parseOrThrow(manifestSchema, draft, 'Manifest');
    const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const dir = join(work, 'bundle');
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), bytes);
    writeFileSync(join(dir, 'manifest.sig'), signWith(key, bytes).toString('base64') + '\n');
    const members = ['manifest.json', 'manifest.sig'];
    if (req.cert) {
      writeFileSync(join(dir, 'manifest.crt'), readFileSync(req.cert));
      members.push('manifest.crt');
    }
    symlinkSync(resolve(req.image), join(dir, imageName));
    members.push(imageName);
    const out = resolve(req.out);
    await createTar(
      {
        file: out,
        cwd: dir,
        gzip: out.endsWith('.gz') || out.endsWith('.tgz'),
        portable: true,
        follow: true,
        noDirRecurse: true,
      },
      members,
    );
    return { path: out, manifest, signer: keyFingerprint(createPublicKey(key)) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A new Ed25519 signing pair in `dir`: the private key (mode 0600) and its public key to trust. */
export function generateSigningKeys(
  dir: string,
  name = 'rigger-signing',
): { privateKey: string; publicKey: string; fingerprint: string } {
  const privateKey = join(dir, `${name}.key`);
  const publicKey = join(dir, `${name}.pub`);
  for (const f of [privateKey, publicKey]) {
    if (existsSync(f))
      throw new RiggerError(
        'ALREADY_EXISTS',
        `${f} already exists: Rigger will not overwrite a key`,
        { file: f },
      );
  }
  mkdirSync(dir, { recursive: true });
  const pair = generateKeyPairSync('ed25519');
  writeFileSync(privateKey, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
    mode: 0o600,
  });
  writeFileSync(publicKey, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey, publicKey, fingerprint: keyFingerprint(pair.publicKey) };
}
