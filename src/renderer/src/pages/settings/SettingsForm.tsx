import { useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import type { Settings } from '../../../../shared/settings';
import { weakenings } from '../../../../shared/settings-weakening';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { asError } from '../../stores/client';
import { useSettings } from '../../stores/settings';
import { SettingField } from './SettingField';
import { draftOf, patchOf, withDraft, type Draft } from './settings-draft';
import { settingsSections, settingText } from './settings-view';

/**
 * The settings document as one form with one Save: only what changed is sent; a change that
 * lowers a safety or trust gate is named as it is made, and the PIN goes with the save.
 */
export function SettingsForm({ settings }: { settings: Settings }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [pin, setPin] = useState('');
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const patch = patchOf(settings, draft);
  const dirty = Object.keys(patch).length > 0;
  const lowers = weakenings(settings, withDraft(settings, draft));
  const sections = settingsSections(settings).filter((s) => draft[s.key]);

  const save = async () => {
    setError(null);
    setSaved(null);
    setBusy(true);
    try {
      const r = await useSettings
        .getState()
        .update({ ...patch, ...(lowers.length ? { pin } : {}) });
      setPin('');
      const changes = Object.entries(r.changes);
      setSaved(
        changes.length
          ? `Saved: ${changes.map(([k, c]) => `${k} ${settingText(c.old)} → ${settingText(c.new)}`).join('; ')}`
          : 'Nothing changed.',
      );
    } catch (err) {
      setError(asError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      data-testid="settings-document"
    >
      <p className="muted">
        Signature, checksum and size are always verified: an unsigned image is allowed per image,
        never by a setting.
      </p>
      <div className="settings-grid">
        {sections.map((section) => (
          <section
            key={section.key}
            aria-labelledby={`settings-${section.key}`}
            className="settings-section"
            data-testid={`settings-${section.key}`}
          >
            <h2 id={`settings-${section.key}`}>{section.title}</h2>
            {Object.entries(draft[section.key]!).map(([k, v]) => (
              <SettingField
                key={k}
                path={`${section.key}.${k}`}
                value={v}
                onChange={(nv) =>
                  setDraft({ ...draft, [section.key]: { ...draft[section.key], [k]: nv } })
                }
              />
            ))}
          </section>
        ))}
      </div>
      {lowers.length > 0 && (
        <div className="panel panel-warn" role="alert" data-testid="settings-weakening">
          <p className="panel-title">
            <Icon name="warn" /> This lowers a safety or trust gate: {lowers.join(', ')}
          </p>
          <p>
            An update could then run while it would otherwise be stopped. Saving needs the override
            PIN; the change is recorded in the audit log.
          </p>
          <label htmlFor="settings-pin">Override PIN</label>
          <input
            id="settings-pin"
            type="password"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </div>
      )}
      <div className="actions settings-save">
        <button type="submit" className="primary" disabled={!dirty || busy}>
          Save settings
        </button>
        {dirty && (
          <button type="button" onClick={() => setDraft(draftOf(settings))}>
            Undo changes
          </button>
        )}
        {!dirty && !saved && <span className="muted">No unsaved changes.</span>}
      </div>
      {saved && (
        <p className="muted" role="status" data-testid="settings-saved">
          <Icon name="check" /> {saved}
        </p>
      )}
      {error && <ErrorPanel error={error} title="Settings not saved" />}
    </form>
  );
}
