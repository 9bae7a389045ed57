import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import { manifestSchema, type LibraryImage, type Manifest } from '../../../shared/images';
import { parseOrThrow } from '../../../shared/validation';
import type { AuditLog } from '../audit';
import { nowIso } from '../util/time';
import type { BlobStore } from './blob-store';
import { readBundle } from './bundle-reader';
import { bundleLimits, roomLeft } from './import-limits';
import { CHUNK, chunksOf, ingest, type Ingested } from './ingest';
import type { Library } from './library';
import { verifyManifestSignature } from './signature';
import type { TrustStore } from './trust';

export interface ImportRequest {
  path: string;
  unsigned?: boolean;
  version?: string;
  source?: 'file' | 'catalog';
}

export interface ImportDeps {
  store: BlobStore;
  library: Library;
  trust: TrustStore;
  audit: AuditLog;
  quotaBytes: number;
}

type Kind = { bundle: true } | { bundle: false; format: 'raw' | 'squashfs'; gzip: boolean };

/** What a file is by its name: a bundle, or a loose image (IMAGE-BUNDLE.md). */
export function kindOf(path: string): Kind {
  const n = basename(path).toLowerCase();
  if (n.endsWith('.tar') || n.endsWith('.tar.gz') || n.endsWith('.tgz')) return { bundle: true };
  const gzip = n.endsWith('.gz');
  const base = gzip ? n.slice(0, -3) : n;
  if (base.endsWith('.img')) return { bundle: false, format: 'raw', gzip };
  if (base.endsWith('.squashfs')) return { bundle: false, format: 'squashfs', gzip };
  throw new RiggerError(
    'OTA_005',
    `${basename(path)} is not a format Rigger knows`,
    { file: basename(path) },
    ['Import a bundle (.tar or .tar.gz) or an image (.img, .squashfs, optionally .gz)'],
  );
}

const mismatch = (what: string, expected: string | number, actual: string | number) =>
  new RiggerError(
    'OTA_007',
    `The image's ${what} does not match its manifest`,
    { field: what, expected, actual },
    ['The file is damaged or was altered: get the bundle again'],
  );

/** A bundle's manifest.json, parsed and checked against IMAGE-BUNDLE.md's schema. */
export function parseManifest(bytes: Buffer): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RiggerError('VALIDATION_ERROR', 'Invalid bundle: manifest.json is not valid JSON');
  }
  return parseOrThrow(manifestSchema, raw, 'Manifest');
}

/** The manifest's promises about the image, checked against what was read. */
export function checkFacts(m: Manifest, got: Ingested, imageName: string): void {
  if (imageName !== m.image.file) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Invalid bundle: the image member is "${imageName}" but the manifest names "${m.image.file}"`,
      {
        member: imageName,
      },
    );
  }
  if (m.image.compressed_size !== got.storedSize)
    throw mismatch('compressed_size', m.image.compressed_size, got.storedSize);
  if (m.image.compressed_sha256 !== got.storedSha256)
    throw mismatch('compressed_sha256', m.image.compressed_sha256, got.storedSha256);
  if (m.image.size !== got.size) throw mismatch('size', m.image.size, got.size);
  if (m.image.sha256 !== got.sha256) throw mismatch('sha256', m.image.sha256, got.sha256);
}

/**
 * Import one file into the library: verified, content-addressed, indexed, or nothing at all.
 * Importing the same image again returns the existing entry and keeps one copy.
 */
export async function importFile(
  req: ImportRequest,
  deps: ImportDeps,
  onBytes?: (n: number, total: number) => void,
): Promise<LibraryImage> {
  const kind = kindOf(req.path);
  let total: number;
  try {
    total = statSync(req.path).size;
  } catch (err) {
    throw new RiggerError('NOT_FOUND', `Cannot read ${req.path}: ${(err as Error).message}`, {
      path: req.path,
    });
  }
  if (deps.quotaBytes > 0) {
    const used = deps.library.usage(deps.quotaBytes).bytes;
    if (used + total > deps.quotaBytes) {
      throw new RiggerError(
        'OTA_003',
        `The image library would exceed its quota (${used + total} of ${deps.quotaBytes} bytes)`,
        {
          used,
          quota: deps.quotaBytes,
          needed: total,
        },
        ['Delete images you no longer need', 'Raise the quota in Settings'],
      );
    }
  }
  const progress = onBytes ? (n: number) => onBytes(n, total) : undefined;
  const now = nowIso();

  if (!kind.bundle) {
    if (!req.unsigned || !req.version) {
      throw new RiggerError(
        'OTA_006',
        'A loose image has no signature: import it only as unsigned, with its version',
        { file: basename(req.path) },
        [
          'Prefer the signed bundle from the vendor',
          'Or choose "import as unsigned" and give the version (rigger images import FILE --unsigned --version V)',
        ],
      );
    }
    const room = roomLeft(deps);
    const got = await ingest(
      chunksOf(createReadStream(req.path, { highWaterMark: CHUNK })),
      kind.gzip,
      deps.store,
      progress,
      { stored: room.bytes, overStored: () => room.error(room.bytes + 1) },
    );
    const image: LibraryImage = {
      id: `local-${req.version}-${got.sha256.slice(0, 12)}`,
      version: req.version,
      type: null,
      severity: null,
      channel: null,
      released: null,
      description: `Unsigned image imported from ${basename(req.path)}`,
      changelog: [],
      compatible: null,
      prerequisites: [],
      format: kind.format,
      compression: kind.gzip ? 'gzip' : 'none',
      size: got.size,
      sha256: got.sha256,
      compressed_size: got.storedSize,
      compressed_sha256: got.storedSha256,
      signature: 'unsigned',
      signer: null,
      signer_name: null,
      source: req.source ?? 'file',
      source_name: basename(req.path),
      imported_at: now,
    };
    const result = store(image, got, deps);
    deps.audit.record({
      action: 'image.import_unsigned',
      outcome: 'ok',
      details: { id: result.id, file: basename(req.path), sha256: got.sha256 },
    });
    return result;
  }

  const bundle = await readBundle(req.path, deps.store, progress, bundleLimits(deps));
  try {
    const manifest = parseManifest(bundle.manifest);
    checkFacts(manifest, bundle.image, bundle.imageName);
    const verdict = verifyManifestSignature(
      bundle.manifest,
      bundle.sig,
      bundle.crt?.toString('utf8') ?? null,
      deps.trust.anchors(),
    );
    const image: LibraryImage = {
      id: manifest.id,
      version: manifest.version,
      type: manifest.type,
      severity: manifest.severity,
      channel: manifest.channel,
      released: manifest.released,
      description: manifest.description,
      changelog: manifest.changelog,
      compatible: manifest.compatible,
      prerequisites: manifest.prerequisites,
      format: manifest.image.format,
      compression: manifest.image.compression,
      size: manifest.image.size,
      sha256: manifest.image.sha256,
      compressed_size: manifest.image.compressed_size,
      compressed_sha256: manifest.image.compressed_sha256,
      signature: 'verified',
      signer: verdict.signer,
      signer_name: verdict.signer_name,
      source: req.source ?? 'file',
      source_name: basename(req.path),
      imported_at: now,
    };
    return store(image, bundle.image, deps);
  } catch (err) {
    deps.store.discard(bundle.image.temp);
    throw err;
  }
}

/** Commit the blob and index it; the same id with other bytes is refused. */
function store(image: LibraryImage, got: Ingested, deps: ImportDeps): LibraryImage {
  const existing = deps.library.find(image.id);
  if (existing) {
    deps.store.discard(got.temp);
    if (existing.sha256 === image.sha256 && existing.compressed_sha256 === image.compressed_sha256)
      return existing;
    throw new RiggerError(
      'ALREADY_EXISTS',
      `The library already holds a different image with id "${image.id}"`,
      {
        id: image.id,
        existing_sha256: existing.sha256,
        new_sha256: image.sha256,
      },
      ['Delete the old one first if the new one should replace it'],
    );
  }
  deps.store.commit(got.temp, got.storedSha256);
  deps.library.insert(image, got.storedSha256);
  return image;
}
