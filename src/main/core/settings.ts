import { parseOrThrow } from '../../shared/validation';
import { settingsSchema, type Settings, type SettingsUpdateResult } from '../../shared/settings';
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
  update(patch: Json): SettingsUpdateResult;
}

/** The settings service over the database. An unknown key or a wrong value changes nothing. */
export function createSettings(db: Database): SettingsService {
  const read = (): Settings => {
    const row = db.prepare('SELECT document FROM settings WHERE id = 1').get() as
      { document: string } | undefined;
    return settingsSchema.parse(row ? JSON.parse(row.document) : {});
  };
  return {
    get: read,
    update(patch) {
      const before = read();
      const after = parseOrThrow(
        settingsSchema,
        merge(before as unknown as Json, patch),
        'Settings',
      );
      const changes = diff(before as unknown as Json, after as unknown as Json);
      db.prepare(
        `INSERT INTO settings (id, document, updated_at) VALUES (1, ?, ?)
         ON CONFLICT(id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at`,
      ).run(JSON.stringify(after), nowIso());
      return {
        status: 'updated',
        message: Object.keys(changes).length
          ? 'Settings updated successfully'
          : 'No settings changed',
        restart_required: false,
        changes,
      };
    },
  };
}
