import { formatDateTime } from '../../../shared/format/time';
import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import { windowState } from '../../../shared/maintenance';
import type { SlotId } from '../../../shared/profile';
import { checkImage, pickTarget } from './checks';
import type { OtaDeps } from './context';

/** An image by id, or the newest of a version. */
export function findImage(d: OtaDeps, ref: { id?: string; version?: string }): LibraryImage {
  if (ref.id) {
    const byId = d.images.list({}).find((i) => i.id === ref.id || i.version === ref.id);
    if (byId) return byId;
  }
  const byVersion = ref.version
    ? d.images.list({}).find((i) => i.version === ref.version)
    : undefined;
  if (byVersion) return byVersion;
  throw new RiggerError(
    'NOT_FOUND',
    `No image ${ref.id ?? ref.version ?? ''} in the library`,
    { ...ref },
    ['Import it first: rigger images import FILE'],
  );
}

/**
 * The slot a job will write, known before it starts, with the image checked against the
 * gateway (rules 1 and 4): a request that can only fail is refused now, and no job exists.
 * The job checks again when it runs (it may be resumed much later).
 */
export async function preflight(
  d: OtaDeps,
  gateway: string,
  image: LibraryImage,
  p: { target_partition?: SlotId; allow_unsigned: boolean; verify_signature: boolean },
): Promise<SlotId> {
  const status = await d.gateways.status(gateway, 'pinned-only');
  const { profile } = await d.gateways.session(gateway);
  const { target } = pickTarget(status, p.target_partition);
  checkImage(image, status, profile, target, {
    allowUnsigned: p.allow_unsigned,
    verifySignature: p.verify_signature,
  });
  return target;
}

/**
 * Switching and rebooting outside the maintenance window needs the technician's explicit
 * confirmation (OTA_015 says when the window opens); a confirmed exception is audited.
 */
export function assertWindow(d: OtaDeps, gateway: string, confirmed: boolean): void {
  const w = windowState(d.settings.get().maintenance_window);
  if (w.open) return;
  if (confirmed) {
    d.audit.record({
      action: 'ota.outside_maintenance_window',
      outcome: 'ok',
      details: { gateway, opens_at: w.opens_at },
    });
    return;
  }
  const when = w.opens_at ? formatDateTime(w.opens_at) : 'at no scheduled time';
  throw new RiggerError(
    'OTA_015',
    `Outside the maintenance window: it opens ${when}. Confirm to install now`,
    { maintenance_window: w, opens_at: w.opens_at },
    [
      `Wait for the maintenance window (opens ${when})`,
      'Or confirm installing outside it (recorded in the audit log)',
    ],
  );
}
