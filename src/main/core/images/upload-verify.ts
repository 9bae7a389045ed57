import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { RiggerError } from '../../../shared/errors';
import type { LibraryImage, SignatureState, UploadVerify } from '../../../shared/images';
import type { Profile } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import { formatBytes } from '../../../shared/format/bytes';
import { createBlobStore } from './blob-store';
import { readBundle } from './bundle-reader';
import { checkFacts, kindOf, parseManifest } from './importer';
import { CHUNK, chunksOf, ingest } from './ingest';
import { verifyManifestSignature, type TrustAnchors } from './signature';
import { whyNotVerified } from './verify-words';

/** What upload.verify judges, from a library image or from a file read without importing it. */
export interface VerifySubject {
  name: string;
  version: string;
  format: 'raw' | 'squashfs';
  compression: 'none' | 'gzip';
  /** Of the image as it lands in a slot. */
  size: number;
  /** Of the image as stored (compressed when gzip). */
  storedSize: number;
  storedSha256: string;
  signature: SignatureState;
  /** Do the bytes match the manifest's size and hashes? null: no manifest to check against. */
  checksum_valid: boolean | null;
  compatible: { models: string[]; hardware_revisions: string[] } | null;
  /** The first bytes of the uncompressed image, to recognise what it holds. */
  head: Buffer;
}

const HEAD_BYTES = 64 * 1024;

/** The first `n` bytes of an image as it lands in a slot (decompressing a gzip one). */
export async function readImageHead(path: string, gzip: boolean, n = HEAD_BYTES): Promise<Buffer> {
  const src = createReadStream(path, gzip ? {} : { end: n - 1 });
  const stream = gzip ? src.pipe(createGunzip()) : src;
  const parts: Buffer[] = [];
  let got = 0;
  try {
    for await (const c of stream) {
      parts.push(c as Buffer);
      got += (c as Buffer).length;
      if (got >= n) break;
    }
  } catch {
    // A damaged image: judge what could be read (the checksum flag reports the damage).
  } finally {
    src.destroy();
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

/**
 * Is this a slot image (one filesystem, as a slot holds), judged by its first bytes? A whole-disk
 * image with its own partition table would break the gateway's A/B layout; a manifest saying
 * squashfs over bytes that are not is wrong too. null: the content is not recognised.
 */
export function slotImageLayout(
  head: Buffer,
  format: 'raw' | 'squashfs',
): { valid: boolean | null; found: string } {
  const at = (off: number, s: string) =>
    head.length >= off + s.length && head.subarray(off, off + s.length).toString('latin1') === s;
  const squashfs = at(0, 'hsqs');
  if (format === 'squashfs')
    return squashfs
      ? { valid: true, found: 'squashfs' }
      : { valid: false, found: 'not squashfs, though the manifest says so' };
  if (squashfs) return { valid: true, found: 'squashfs' };
  if (head.length >= 1082 && head[1080] === 0x53 && head[1081] === 0xef)
    return { valid: true, found: 'ext2/3/4 filesystem' };
  if (at(512, 'EFI PART'))
    return { valid: false, found: 'a whole disk with a GPT partition table' };
  const bootSector = head.length >= 512 && head[510] === 0x55 && head[511] === 0xaa;
  if (bootSector && (at(54, 'FAT') || at(82, 'FAT32') || at(3, 'EXFAT') || at(3, 'NTFS')))
    return { valid: true, found: 'FAT/NTFS filesystem' };
  if (bootSector) {
    const partitions = [0, 1, 2, 3].filter((i) => {
      const e = 446 + 16 * i;
      return head[e + 4] !== 0 && head.readUInt32LE(e + 8) > 0 && head.readUInt32LE(e + 12) > 0;
    });
    if (partitions.length)
      return { valid: false, found: 'a whole disk with an MBR partition table' };
  }
  return { valid: null, found: 'unrecognised content' };
}

/**
 * Does an image of `size` bytes stay inside its slot in the profile's block layout (the console
 * path writes slots by block number)? null when the profile gives no layout.
 */
export function fitsBlockLayout(size: number, profile: Profile): boolean | null {
  const c = profile.console;
  if (!c) return null;
  const blocks = Math.ceil(size / c.block_size);
  const gap = Math.abs(c.slot_start_block.B - c.slot_start_block.A);
  return gap > 0 && blocks <= gap;
}

/** Read a file as upload.verify sees it: hashed, signature checked, nothing imported. */
export async function inspectFile(
  path: string,
  version: string | undefined,
  anchors: TrustAnchors,
  workRoot: string,
): Promise<VerifySubject> {
  const kind = kindOf(path);
  try {
    statSync(path);
  } catch (err) {
    throw new RiggerError('NOT_FOUND', `Cannot read ${path}: ${(err as Error).message}`, { path });
  }
  // The image bytes pass through a private folder that goes when the check is done.
  const dir = mkdtempSync(join(workRoot, 'verify-'));
  try {
    const store = createBlobStore(dir);
    if (!kind.bundle) {
      if (!version)
        throw new RiggerError(
          'VALIDATION_ERROR',
          'A loose image carries no manifest: give its version to verify it',
          { file: basename(path) },
          ['Give the version (as the seed form field "version")'],
        );
      const got = await ingest(
        chunksOf(createReadStream(path, { highWaterMark: CHUNK })),
        kind.gzip,
        store,
      );
      return {
        name: basename(path),
        version,
        format: kind.format,
        compression: kind.gzip ? 'gzip' : 'none',
        size: got.size,
        storedSize: got.storedSize,
        storedSha256: got.storedSha256,
        signature: 'unsigned',
        checksum_valid: null,
        compatible: null,
        head: await readImageHead(got.temp, kind.gzip),
      };
    }
    const bundle = await readBundle(path, store);
    const manifest = parseManifest(bundle.manifest);
    let checksum = true;
    try {
      checkFacts(manifest, bundle.image, bundle.imageName);
    } catch (err) {
      if (!(err instanceof RiggerError) || err.code !== 'OTA_007') throw err;
      checksum = false;
    }
    let signature: SignatureState = 'verified';
    try {
      verifyManifestSignature(
        bundle.manifest,
        bundle.sig,
        bundle.crt?.toString('utf8') ?? null,
        anchors,
      );
    } catch (err) {
      if (!(err instanceof RiggerError) || err.code !== 'OTA_006') throw err;
      signature = 'invalid';
    }
    return {
      name: basename(path),
      version: manifest.version,
      format: manifest.image.format,
      compression: manifest.image.compression,
      size: bundle.image.size,
      storedSize: bundle.image.storedSize,
      storedSha256: bundle.image.storedSha256,
      signature,
      checksum_valid: checksum,
      compatible: manifest.compatible,
      head: await readImageHead(bundle.image.temp, manifest.image.compression === 'gzip'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A library image as upload.verify sees it; `intact` is the result of re-reading its blob. */
export function subjectOfImage(i: LibraryImage, intact: boolean, head: Buffer): VerifySubject {
  return {
    name: i.source_name,
    version: i.version,
    format: i.format,
    compression: i.compression,
    size: i.size,
    storedSize: i.compressed_size,
    storedSha256: i.compressed_sha256,
    signature: i.signature,
    checksum_valid: intact,
    compatible: i.compatible,
    head,
  };
}

/**
 * Judge an image against a gateway's profile (and its live status when it answers), in the
 * seed's upload/verify shape: each flag computed, or null where nothing can be checked.
 */
export function judgeUpload(
  s: VerifySubject,
  profile: Profile,
  status: GatewayStatus | null,
): UploadVerify {
  const live = status?.status === 'online' ? status : null;
  const model = live?.gateway.model ?? profile.model;
  const revision = live?.gateway.hardware_revision ?? null;
  const modelOk = s.compatible ? s.compatible.models.includes(model) : null;
  const hwOk = s.compatible && revision ? s.compatible.hardware_revisions.includes(revision) : null;
  const hardware = modelOk === false || hwOk === false ? false : modelOk && hwOk ? true : null;

  const content = slotImageLayout(s.head, s.format).valid;
  const blocks = fitsBlockLayout(s.size, profile);
  const layout = content === false || blocks === false ? false : content;

  // The image is try-booted by the profile's scheme: the environment must say which slot boots
  // and fall back by itself when a trial slot fails. Only a gateway that answers can tell.
  const boot = live?.boot ?? null;
  const bootloader = boot
    ? boot.next_slot !== null && live?.partitions.auto_rollback === true
    : null;

  const slotSize = Math.min(profile.slots.A.size_bytes, profile.slots.B.size_bytes);
  const validation = {
    signature_valid: s.signature === 'verified' ? true : s.signature === 'invalid' ? false : null,
    checksum_valid: s.checksum_valid,
    partition_layout_valid: layout,
    bootloader_compatible: bootloader,
    hardware_compatible: hardware,
    size_adequate: s.size <= slotSize,
  };
  const flags = Object.values(validation);
  const error = whyNotVerified(validation);
  return {
    status: flags.includes(false) ? 'failed' : flags.includes(null) ? 'incomplete' : 'verified',
    ...(error ? { error } : {}),
    file: {
      name: s.name,
      // The file as it was given: its size and its hash, as stored.
      size: formatBytes(s.storedSize),
      checksum: `sha256:${s.storedSha256}`,
      version: s.version,
      format: s.format,
      compression: s.compression,
    },
    metadata: {
      // A manifest says nothing of these (IMAGE-BUNDLE.md): unknown, not invented.
      kernel: null,
      build_id: null,
      signature: s.signature,
      compatibility:
        hardware === true ? 'compatible' : hardware === false ? 'incompatible' : 'unknown',
      architecture: null,
      bootloader_version: null,
      minimum_hardware: s.compatible?.hardware_revisions[0] ?? null,
    },
    validation,
  };
}
