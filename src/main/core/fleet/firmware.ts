import { RiggerError } from '../../../shared/errors';
import {
  firmwareCreateSchema,
  firmwareListQuerySchema,
  type Firmware,
} from '../../../shared/fleet-ota';
import type { LibraryImage } from '../../../shared/images';
import { parseOrThrow } from '../../../shared/validation';
import type { Database } from '../store/database';
import { compareVersions } from './firmware-check';

interface FirmwareRow {
  device_type: string;
  version: string;
  image_id: string;
  release_notes: string | null;
  checksum: string;
  size: number;
  mandatory: number;
  signed: number;
  created_at: string;
}

const toFirmware = (r: FirmwareRow): Firmware => ({
  version: r.version,
  device_type: r.device_type,
  release_notes: r.release_notes,
  checksum: r.checksum,
  size: r.size,
  mandatory: r.mandatory === 1,
  image_id: r.image_id,
  signed: r.signed === 1,
  created_at: r.created_at,
});

/**
 * Firmware versions: which library image is which version for which device type (the seed's
 * "Create Firmware Version" after the file went into the library as a signed bundle or an audited
 * unsigned image). The image itself stays the library's; this is the seed's view onto it.
 */
export function createFirmwareRegistry(db: Database, now: () => number = Date.now) {
  const find = (deviceType: string, version: string) =>
    db
      .prepare('SELECT * FROM firmware WHERE device_type = ? AND version = ?')
      .get(deviceType, version) as FirmwareRow | undefined;
  return {
    /** Record an imported image as a firmware version; an image with a bad signature is refused. */
    add(
      fields: unknown,
      image: Pick<LibraryImage, 'id' | 'version' | 'sha256' | 'size' | 'signature'>,
    ): Firmware {
      const f = parseOrThrow(firmwareCreateSchema, fields, 'Firmware');
      if (image.signature === 'invalid' || (image.signature === 'unsigned' && !f.unsigned))
        throw new RiggerError(
          'OTA_006',
          `The image for ${f.version} is ${image.signature === 'invalid' ? 'signed wrongly' : 'not signed'}`,
          { image_id: image.id, signature: image.signature },
          image.signature === 'unsigned'
            ? [
                'Upload a signed bundle',
                'Or send unsigned=true to take it as an audited unsigned image',
              ]
            : ['Upload the bundle again from its source'],
        );
      if (image.version !== f.version)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `The file is version ${image.version}, not ${f.version}`,
          { file_version: image.version, version: f.version },
        );
      if (find(f.device_type, f.version))
        throw new RiggerError(
          'ALREADY_EXISTS',
          `Firmware ${f.version} for ${f.device_type} already exists`,
          { device_type: f.device_type, version: f.version },
        );
      db.prepare(
        `INSERT INTO firmware (device_type, version, image_id, release_notes, checksum, size,
           mandatory, signed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        f.device_type,
        f.version,
        image.id,
        f.release_notes ?? null,
        `sha256:${image.sha256}`,
        image.size,
        +f.mandatory,
        +(image.signature === 'verified'),
        new Date(now()).toISOString(),
      );
      return toFirmware(find(f.device_type, f.version)!);
    },
    /** The seed's "List Firmware Versions", newest first. */
    list(query: unknown = {}): { firmware: Firmware[] } {
      const q = parseOrThrow(firmwareListQuerySchema, query, 'Firmware query');
      const rows = (
        q.device_type
          ? db.prepare('SELECT * FROM firmware WHERE device_type = ?').all(q.device_type)
          : db.prepare('SELECT * FROM firmware').all()
      ) as FirmwareRow[];
      return {
        firmware: rows
          .map(toFirmware)
          .sort(
            (a, b) =>
              a.device_type.localeCompare(b.device_type) || compareVersions(b.version, a.version),
          ),
      };
    },
    /** The library image of a version for a type (what a rollout or a trigger installs), or null. */
    imageOf: (deviceType: string, version: string) => find(deviceType, version)?.image_id ?? null,
  };
}
export type FirmwareRegistry = ReturnType<typeof createFirmwareRegistry>;
