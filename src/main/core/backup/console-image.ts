import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { versionString } from '../../../shared/images';
import type { ManifestSystem, BackupManifest } from './manifest';
import { hashTap } from './object-store';
import type { BackupContext } from './service';
import { systemSource } from './system-restore';

/** A library image the console flash can send, and whether it is one Rigger imported unsigned. */
export interface ConsoleImage {
  id: string;
  unsigned: boolean;
}

/**
 * The backup's system image as a library image, since the console flash sends library images
 * only: the one the backup recorded by SHA-256, or a copied slot image taken out of a backup
 * whose signature by this site's key holds, proven against its SHA-256 and imported as an
 * audited unsigned image (`image.import_unsigned`, its source named after the backup).
 */
export async function consoleImageOf(c: BackupContext, m: BackupManifest): Promise<ConsoleImage> {
  const sys = m.system!;
  const known = c.images.library.list().find((i) => i.sha256 === sys.image_sha256);
  // A library image goes as the library holds it: an unsigned one still needs its own choice.
  if (known) return { id: known.id, unsigned: false };
  if (!sys.stored)
    throw new RiggerError(
      'RESTORE_FAILED',
      `Backup ${m.id} records its system image by SHA-256, and the image library no longer holds it`,
      { image_sha256: sys.image_sha256, version: sys.version },
      [`Import the image ${sys.version ?? sys.image_sha256} into the library`],
    );
  const repo = c.repo(m.encryption.enabled);
  if (!repo.load(m.id).signature_valid)
    throw new RiggerError(
      'RESTORE_FAILED',
      `Backup ${m.id} is not signed by this site's key: its slot image is not sent to a gateway`,
      { backup_id: m.id },
      ['Verify the backup (rigger backup verify ID) or choose another'],
    );
  const root = join(c.dataDir, 'tmp');
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, 'console-image-'));
  try {
    const file = join(dir, `backup-${m.id}-system.img`);
    const tap = hashTap();
    const source = systemSource(repo, c.images, m.id, m.encryption.enabled, sys);
    await pipeline(source.open(), tap, createWriteStream(file));
    const got = tap.digest().sha256;
    if (got !== sys.image_sha256)
      throw new RiggerError(
        'OTA_007',
        `The slot image in backup ${m.id} does not match its recorded SHA-256: nothing was sent`,
        { expected: sys.image_sha256, actual: got },
        ['Verify the backup (rigger backup verify ID) and choose another if it is damaged'],
      );
    const image = await c.images.importPath(file, { unsigned: true, version: versionOf(m, sys) });
    return { id: image.id, unsigned: true };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The version the slot image ran, or one that names the backup when it is unknown. */
function versionOf(m: BackupManifest, sys: ManifestSystem): string {
  if (sys.version && versionString.safeParse(sys.version).success) return sys.version;
  return `v0.0.0-backup.${m.id.replace(/[^0-9A-Za-z-]/g, '-')}`;
}
