import type { Settings } from '../../../../shared/settings';

/** A field's value as the form edits it. */
export type Value = string | number | boolean | string[];
/** The editable settings: section → field → value (the form's one draft). */
export type Draft = Record<string, Record<string, Value>>;

/**
 * Fields the form does not offer: the verification checks are always on (said in words), and the
 * theme has its own choice at the top of the page (one field, one place).
 */
const HIDDEN = new Set(['verification', 'rigger.theme']);

/** Units people use for fields the document keeps in ms, seconds or bytes. */
const UNITS: Record<string, { unit: string; per: number }> = {
  'maintenance_window.duration': { unit: 'minutes', per: 60 },
  'rigger.ssh_connect_timeout_ms': { unit: 'seconds', per: 1000 },
  'rigger.ssh_command_timeout_ms': { unit: 'seconds', per: 1000 },
  'rigger.image_quota_bytes': { unit: 'MB, 0 = no limit', per: 1_000_000 },
  'safety_constraints.minimum_battery_level': { unit: '%', per: 1 },
  'safety_constraints.disk_space_threshold': { unit: '% free', per: 1 },
  'recovery.snapshot_retention_days': { unit: 'days', per: 1 },
};

/** The unit a field is shown in, if it has one. */
export const unitOf = (path: string): string | null => UNITS[path]?.unit ?? null;

/** The document's number as shown (30000 ms → 30 seconds). */
export function shown(path: string, v: number): number {
  const per = UNITS[path]?.per ?? 1;
  return Math.round((v / per) * 1000) / 1000;
}

/** A shown number back in the document's unit (30 seconds → 30000 ms). */
export function stored(path: string, v: number): number {
  return Math.round(v * (UNITS[path]?.per ?? 1));
}

/** The form's draft of the document, without the fields it does not offer. */
export function draftOf(settings: Settings): Draft {
  const out: Draft = {};
  for (const [section, value] of Object.entries(settings)) {
    if (HIDDEN.has(section) || typeof value !== 'object' || value === null) continue;
    const fields: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value as Record<string, Value>))
      if (!HIDDEN.has(`${section}.${k}`)) fields[k] = v;
    out[section] = fields;
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what the draft changed, as a partial settings document for one save. */
export function patchOf(settings: Settings, draft: Draft): Record<string, Record<string, Value>> {
  const out: Record<string, Record<string, Value>> = {};
  const doc = settings as unknown as Record<string, Record<string, Value>>;
  for (const [section, fields] of Object.entries(draft)) {
    for (const [k, v] of Object.entries(fields)) {
      if (same(doc[section]?.[k], v)) continue;
      (out[section] ??= {})[k] = v;
    }
  }
  return out;
}

/** The document as it would be with the draft saved (to see which gates it lowers). */
export function withDraft(settings: Settings, draft: Draft): Settings {
  const doc = structuredClone(settings) as unknown as Record<string, Record<string, Value>>;
  for (const [section, fields] of Object.entries(draft))
    doc[section] = { ...doc[section], ...fields };
  return doc as unknown as Settings;
}
