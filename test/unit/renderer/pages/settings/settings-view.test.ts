import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../../../src/shared/settings';
import {
  humanize,
  settingsSections,
  settingText,
} from '../../../../../src/renderer/src/pages/settings/settings-view';

describe('settings shown read-only', () => {
  it('words keys and values', () => {
    expect(humanize('auto_security')).toBe('Auto security');
    expect(humanize('ssh_connect_timeout_ms')).toBe('SSH connect timeout (ms)');
    expect(humanize('update_server_url')).toBe('Update server URL');
    expect(settingText(true)).toBe('on');
    expect(settingText(false)).toBe('off');
    expect(settingText(['a', 'b'])).toBe('a, b');
    expect(settingText([])).toBe('none');
    expect(settingText('')).toBe('not set');
    expect(settingText(30)).toBe('30');
  });

  it('lists every section of the document, in order', () => {
    const sections = settingsSections(settingsSchema.parse({}));
    expect(sections.map((s) => s.key)).toEqual([
      'auto_update',
      'channels',
      'maintenance_window',
      'verification',
      'safety_constraints',
      'recovery',
      'telemetry',
      'hawkbit',
      'rigger',
    ]);
    const rigger = sections.find((s) => s.key === 'rigger')!;
    expect(Object.fromEntries(rigger.rows).Theme).toBe('light');
    expect(sections.find((s) => s.key === 'verification')!.rows).toEqual([
      ['Verify signature', 'on'],
      ['Verify checksum', 'on'],
      ['Verify size', 'on'],
    ]);
  });
});
