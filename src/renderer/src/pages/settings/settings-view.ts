import type { Settings } from '../../../../shared/settings';

/** A settings section as labelled lines of text, for reading. */
export interface SettingsSection {
  key: string;
  title: string;
  rows: Array<readonly [string, string]>;
}

const TITLES: Record<string, string> = {
  auto_update: 'Automatic updates',
  channels: 'Channels',
  maintenance_window: 'Maintenance window',
  update_strategy: 'Update strategy',
  verification: 'Verification',
  safety_constraints: 'Safety constraints',
  notifications: 'Notifications',
  recovery: 'Recovery',
  rigger: 'Rigger',
};

const ACRONYMS = new Set(['ssh', 'url', 'ota', 'acs', 'ups', 'pin']);

/** `auto_security` → "Auto security"; `ssh_connect_timeout_ms` → "SSH connect timeout (ms)". */
export function humanize(key: string): string {
  const unit = key.endsWith('_ms') ? ' (ms)' : key.endsWith('_bytes') ? ' (bytes)' : '';
  const words = key
    .replace(/_(ms|bytes)$/, '')
    .split('_')
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w))
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1) + unit;
}

/** A setting's value as text: on/off, lists joined, empty text as "not set". */
export function settingText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length ? value.map(String).join(', ') : 'none';
  if (value === null || value === undefined || value === '') return 'not set';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The settings document as sections of readable lines, in the document's order. */
export function settingsSections(settings: Settings): SettingsSection[] {
  return Object.entries(settings).map(([key, value]) => ({
    key,
    title: TITLES[key] ?? humanize(key),
    rows:
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? Object.entries(value).map(([k, v]) => [humanize(k), settingText(v)] as const)
        : [['Value', settingText(value)] as const],
  }));
}
