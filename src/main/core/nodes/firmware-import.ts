import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { RiggerError } from '../../../shared/errors';
import { nodeFirmwareManifestSchema, type NodeFirmware } from '../../../shared/nodes';
import { parseOrThrow } from '../../../shared/validation';
import type { AuditLog } from '../audit';
import { readBundle } from '../images/bundle-reader';
import { verifyManifestSignature } from '../images/signature';
import type { TrustStore } from '../images/trust';
import { nowIso } from '../util/time';
import type { FirmwareLibrary } from './firmware-library';

/** Is this bundle's manifest a node firmware one (`"kind": "node-firmware"`)? */
export function isNodeFirmwareManifest(manifest: Buffer): boolean {
  try {
    return (JSON.parse(manifest.toString('utf8')) as { kind?: unknown }).kind === 'node-firmware';
  } catch {
    return false;
  }
}

const mismatch = (field: string, expected: string | number, actual: string | number) =>
  new RiggerError(
    'OTA_007',
    `The firmware's ${field} does not match its manifest`,
    {
      field,
      expected,
      actual,
    },
    ['The file is damaged or was altered: get the bundle again'],
  );

async function md5Of(path: string): Promise<string> {
  const h = createHash('md5');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

/**
 * Import a signed node-firmware bundle (IMAGE-BUNDLE.md, same tar format and signatures as
 * images): verified, content-addressed, indexed, or nothing at all. The seed's `file_md5` is
 * the manifest's `image.md5`, checked, or computed when the manifest has none.
 */
export async function importNodeFirmware(
  path: string,
  deps: { library: FirmwareLibrary; trust: Pick<TrustStore, 'anchors'>; audit?: AuditLog },
): Promise<NodeFirmware> {
  const { library } = deps;
  const bundle = await readBundle(path, library.store);
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(bundle.manifest.toString('utf8'));
    } catch {
      throw new RiggerError('VALIDATION_ERROR', 'Invalid bundle: manifest.json is not valid JSON');
    }
    const m = parseOrThrow(nodeFirmwareManifestSchema, raw, 'Node firmware manifest');
    if (bundle.imageName !== m.image.file)
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Invalid bundle: the firmware member is "${bundle.imageName}" but the manifest names "${m.image.file}"`,
      );
    if (bundle.image.size !== m.image.size) throw mismatch('size', m.image.size, bundle.image.size);
    if (bundle.image.sha256 !== m.image.sha256)
      throw mismatch('sha256', m.image.sha256, bundle.image.sha256);
    const verdict = verifyManifestSignature(
      bundle.manifest,
      bundle.sig,
      bundle.crt?.toString('utf8') ?? null,
      deps.trust.anchors(),
    );
    const md5 = await md5Of(bundle.image.temp);
    if (m.image.md5 && m.image.md5 !== md5) throw mismatch('md5', m.image.md5, md5);
    const fw: NodeFirmware = {
      id: m.id,
      version: m.version,
      description: m.description,
      node_types: m.compatible.node_types,
      prerequisites: m.prerequisites,
      size: m.image.size,
      sha256: m.image.sha256,
      md5,
      signer: verdict.signer,
      signer_name: verdict.signer_name,
      imported_at: nowIso(),
    };
    const existing = library.find(fw.id);
    if (existing && existing.sha256 !== fw.sha256) library.insert(fw); // throws ALREADY_EXISTS
    library.store.commit(bundle.image.temp, bundle.image.storedSha256);
    const stored = library.insert(fw);
    deps.audit?.record({
      action: 'node_firmware.import',
      outcome: 'ok',
      details: { id: fw.id, sha256: fw.sha256 },
    });
    return stored;
  } catch (err) {
    library.store.discard(bundle.image.temp);
    throw err;
  }
}
