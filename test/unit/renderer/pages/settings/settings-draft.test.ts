import { describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../../../src/shared/settings';
import { weakenings } from '../../../../../src/shared/settings-weakening';
import { fieldLabel } from '../../../../../src/renderer/src/pages/settings/SettingField';
import {
  draftOf,
  patchOf,
  shown,
  stored,
  withDraft,
} from '../../../../../src/renderer/src/pages/settings/settings-draft';

const defaults = () => settingsSchema.parse({});

describe('settings: one form, units people use', () => {
  it('shows minutes, seconds and MB, never ms or bytes, and stores them back exactly', () => {
    expect(fieldLabel('rigger.ssh_connect_timeout_ms')).toBe('SSH connect timeout (seconds)');
    expect(fieldLabel('rigger.image_quota_bytes')).toBe('Image quota (MB, 0 = no limit)');
    expect(fieldLabel('maintenance_window.duration')).toBe('Duration (minutes)');
    expect(shown('rigger.ssh_connect_timeout_ms', 10_000)).toBe(10);
    expect(stored('rigger.ssh_connect_timeout_ms', 12.5)).toBe(12_500);
    expect(shown('maintenance_window.duration', 3600)).toBe(60);
    expect(stored('rigger.image_quota_bytes', 500)).toBe(500_000_000);
    // No field of the form is labelled in ms or bytes.
    const draft = draftOf(defaults());
    for (const [section, fields] of Object.entries(draft))
      for (const k of Object.keys(fields))
        expect(fieldLabel(`${section}.${k}`)).not.toMatch(/\((ms|bytes)\)/);
  });

  it('offers each field once: no theme (chosen above), no always-on verification', () => {
    const draft = draftOf(defaults());
    expect(draft.verification).toBeUndefined();
    expect(draft.rigger).not.toHaveProperty('theme');
    expect(draft.rigger).toHaveProperty('ssh_connect_timeout_ms');
  });

  it('sends only what changed, in one save, and names a gate it lowers before saving', () => {
    const s = defaults();
    const draft = draftOf(s);
    expect(patchOf(s, draft)).toEqual({});
    draft.maintenance_window!.duration = 5400;
    draft.safety_constraints!.crane_motion_lock = false;
    expect(patchOf(s, draft)).toEqual({
      maintenance_window: { duration: 5400 },
      safety_constraints: { crane_motion_lock: false },
    });
    expect(weakenings(s, withDraft(s, draft))).toEqual(['safety_constraints.crane_motion_lock']);
    expect(s.safety_constraints.crane_motion_lock).toBe(true); // the draft changed no setting
  });
});
