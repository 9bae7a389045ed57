import { RiggerError } from '../../shared/errors';

type Json = Record<string, unknown>;

/**
 * Fields Rigger once showed but nothing honoured: a request that still names one is told so,
 * instead of being stored and believed.
 */
const NOT_OFFERED: Record<string, string> = {
  notifications: 'Rigger sends no notifications: jobs and errors are shown where they happen',
  update_strategy: 'Rigger installs only when asked: there is no automatic update strategy',
  'auto_update.auto_download': 'Rigger downloads images only when asked',
  'auto_update.auto_security': 'Rigger installs only when asked',
  'auto_update.auto_feature': 'Rigger installs only when asked',
  'auto_update.auto_reboot': 'An update reboots the gateway as part of the job it was asked for',
};

const VERIFICATION = ['verify_signature', 'verify_checksum', 'verify_size'] as const;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored document without the fields that are no longer offered (an upgrade keeps parsing). */
export function dropRetired(doc: Json): Json {
  const out: Json = { ...doc };
  for (const path of Object.keys(NOT_OFFERED)) {
    const [section = '', field] = path.split('.');
    if (!field) delete out[section];
    else if (isObject(out[section])) {
      const copy = { ...(out[section] as Json) };
      delete copy[field];
      out[section] = copy;
    }
  }
  if (isObject(out.verification)) delete out.verification;
  return out;
}

/** A field a request named that Rigger does not offer, and why it was left alone. */
export interface IgnoredSetting {
  field: string;
  reason: string;
}

/**
 * Split a request into what can be set and what Rigger does not offer (the seed's own example
 * names `update_strategy` and `notifications`): those are ignored and named, the rest applies.
 * A verification check switched off is refused (unsigned images are an explicit, audited choice
 * per image, never a global switch); the `verification` section is dropped: always on.
 */
export function checkOffered(patch: Json): { patch: Json; ignored: IgnoredSetting[] } {
  const out = { ...patch };
  const ignored: IgnoredSetting[] = [];
  for (const [path, reason] of Object.entries(NOT_OFFERED)) {
    const [section = '', field] = path.split('.');
    if (!field) {
      if (section in out) {
        ignored.push({ field: path, reason });
        delete out[section];
      }
    } else if (isObject(out[section]) && field in out[section]) {
      ignored.push({ field: path, reason });
      const copy = { ...out[section] };
      delete copy[field];
      out[section] = copy;
    }
  }
  if ('verification' in out) {
    const v = out.verification;
    if (!isObject(v)) {
      throw new RiggerError('VALIDATION_ERROR', 'verification must be an object', {
        field: 'verification',
      });
    }
    for (const [k, value] of Object.entries(v)) {
      if (!(VERIFICATION as readonly string[]).includes(k) || value !== true) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          `verification.${k} cannot be switched off: every image is checked against its signature, checksum and size`,
          { field: `verification.${k}` },
          ['To install an unsigned image, allow it for that image (audited)'],
        );
      }
    }
    delete out.verification;
  }
  return { patch: out, ignored };
}

// Which changes lower a gate is the renderer's business too (it warns before saving).
export { weakenings } from '../../shared/settings-weakening';
