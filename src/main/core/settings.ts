import { RiggerError } from '../../shared/errors';
import { parseOrThrow } from '../../shared/validation';
import { settingsSchema, type Settings, type SettingsUpdateResult } from '../../shared/settings';
import { createAuditLog, type AuditLog } from './audit';
import { createPinStore } from './safety/pin';
import { checkOffered, dropRetired, weakenings } from './settings-gates';
import type { Database } from './store/database';
import { nowIso } from './util/time';

type Json = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep-merge `patch` into `base`; arrays and scalars replace. */
function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    out[k] = isPlainObject(v) && isPlainObject(base[k]) ? merge(base[k] as Json, v) : v;
  }
  return out;
}

/** Every leaf that differs between two documents, as the seed's `changes` map. */
function diff(before: Json, after: Json, prefix = ''): SettingsUpdateResult['changes'] {
  const changes: SettingsUpdateResult['changes'] = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const path = prefix ? `${prefix}.${key}` : key;
    const [a, b] = [before[key], after[key]];
    if (isPlainObject(a) && isPlainObject(b)) Object.assign(changes, diff(a, b, path));
    else if (JSON.stringify(a) !== JSON.stringify(b)) changes[path] = { old: a, new: b };
  }
  return changes;
}

/** Settings kept as one validated document in SQLite. */
export interface SettingsService {
  get(): Settings;
  /** Apply part of the document; `pin` in the patch authorises lowering a gate. */
  update(patch: Json): SettingsUpdateResult;
}

/**
 * The settings service over the database. An unknown key or a wrong value changes nothing; a
 * change that lowers a safety or trust gate needs the override PIN in the same request
 * (`OTA_010` without it); every change, and every refusal of a gate change, is audited.
 */
export function createSettings(
  db: Database,
  audit: AuditLog = createAuditLog(db),
): SettingsService {
  const pins = createPinStore(db, audit);
  const read = (): Settings => {
    const row = db.prepare('SELECT document FROM settings WHERE id = 1').get() as
      { document: string } | undefined;
    return settingsSchema.parse(row ? dropRetired(JSON.parse(row.document) as Json) : {});
  };
  return {
    get: read,
    update(input) {
      const { pin, ...rest } = input;
      if (pin !== undefined && typeof pin !== 'string') {
        throw new RiggerError('VALIDATION_ERROR', 'pin must be text', { field: 'pin' });
      }
      const { patch, ignored } = checkOffered(rest);
      const before = read();
      const after = parseOrThrow(
        settingsSchema,
        merge(before as unknown as Json, patch),
        'Settings',
      );
      const changes = diff(before as unknown as Json, after as unknown as Json);
      const weakening = weakenings(before, after);
      if (weakening.length) {
        if (pin === undefined) {
          audit.record({
            action: 'settings.update',
            outcome: 'refused',
            details: { changes, weakening, reason: 'no PIN' },
          });
          throw new RiggerError(
            'OTA_010',
            `Lowering ${weakening.join(', ')} needs the override PIN`,
            { weakening },
            [
              'Give the PIN with the change (pin in the request; on the command line RIGGER_PIN, or rigger settings set asks for it on a terminal)',
            ],
          );
        }
        try {
          pins.verify(pin, { action: 'settings.update' });
        } catch (err) {
          audit.record({
            action: 'settings.update',
            outcome: 'refused',
            details: { changes, weakening, reason: 'PIN not accepted' },
          });
          throw err;
        }
      }
      db.prepare(
        `INSERT INTO settings (id, document, updated_at) VALUES (1, ?, ?)
         ON CONFLICT(id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`,
      ).run(JSON.stringify(after), nowIso());
      if (Object.keys(changes).length) {
        audit.record({ action: 'settings.update', outcome: 'ok', details: { changes, weakening } });
      }
      return {
        status: 'updated',
        message: Object.keys(changes).length
          ? 'Settings updated successfully'
          : 'No settings changed',
        restart_required: false,
        changes,
        ignored,
      };
    },
  };
}
