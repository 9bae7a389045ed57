import { useState } from 'react';
import type { RiggerErrorData } from '../../../../shared/errors';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { asError } from '../../stores/client';
import { useSettings } from '../../stores/settings';
import { humanize, settingText } from './settings-view';
import { CHANNELS, DAYS, SCHEDULES, THEMES } from '../../../../shared/settings';

/** Choices for the fields that take one (or several) of a fixed set. */
const OPTIONS: Record<string, readonly string[]> = {
  'channels.current': CHANNELS,
  'channels.available': CHANNELS,
  'maintenance_window.schedule': SCHEDULES,
  'maintenance_window.days': DAYS,
  'rigger.theme': THEMES,
};

type Value = string | number | boolean | string[];

function Field({
  path,
  value,
  onChange,
}: {
  path: string;
  value: Value;
  onChange: (v: Value) => void;
}) {
  const id = `set-${path.replace(/\W/g, '-')}`;
  const label = humanize(path.split('.').at(-1)!);
  const options = OPTIONS[path];
  if (typeof value === 'boolean') {
    return (
      <label className="inline setting">
        <input
          id={id}
          type="checkbox"
          checked={value}
          disabled={path.startsWith('verification.')}
          onChange={(e) => onChange(e.target.checked)}
        />
        {label}
        {path.startsWith('verification.') && <span className="muted"> (always on)</span>}
      </label>
    );
  }
  if (Array.isArray(value)) {
    return (
      <fieldset className="field setting">
        <legend>{label}</legend>
        {(options ?? value).map((o) => (
          <label key={o} className="inline">
            <input
              type="checkbox"
              checked={value.includes(o)}
              onChange={(e) =>
                onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))
              }
            />
            {o}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <div className="field setting">
      <label htmlFor={id}>{label}</label>
      {options ? (
        <select id={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type={typeof value === 'number' ? 'number' : path.endsWith('.time') ? 'time' : 'text'}
          value={String(value)}
          onChange={(e) =>
            onChange(typeof value === 'number' ? Number(e.target.value) : e.target.value)
          }
        />
      )}
    </div>
  );
}

/**
 * One section of the settings document as a form: each field by its type, saved together. The
 * core validates (a bad value is named with its field) and answers with exactly what changed.
 */
export function SectionForm({
  sectionKey,
  title,
  value,
}: {
  sectionKey: string;
  title: string;
  value: unknown;
}) {
  const nested = typeof value === 'object' && value !== null && !Array.isArray(value);
  const [draft, setDraft] = useState<Record<string, Value>>(
    nested ? { ...(value as Record<string, Value>) } : { value: value as Value },
  );
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Set when the core said this change lowers a gate: the PIN goes with the next save.
  const [weakening, setWeakening] = useState<string[] | null>(null);
  const [pin, setPin] = useState('');
  const save = async () => {
    setError(null);
    setSaved(null);
    try {
      const r = await useSettings.getState().update({
        [sectionKey]: nested ? draft : draft.value,
        ...(weakening ? { pin } : {}),
      });
      setWeakening(null);
      setPin('');
      const changes = Object.entries(r.changes);
      setSaved(
        changes.length
          ? `Saved: ${changes.map(([k, c]) => `${k} ${settingText(c.old)} → ${settingText(c.new)}`).join('; ')}`
          : 'Nothing changed.',
      );
    } catch (err) {
      const e = asError(err);
      const lowers = e.code === 'OTA_010' ? e.details?.weakening : undefined;
      if (Array.isArray(lowers)) setWeakening(lowers.map(String));
      setError(e);
    }
  };
  return (
    <section
      aria-labelledby={`settings-${sectionKey}`}
      className="settings-section"
      data-testid={`settings-${sectionKey}`}
    >
      <h2 id={`settings-${sectionKey}`}>{title}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {Object.entries(draft).map(([k, v]) => (
          <Field
            key={k}
            path={nested ? `${sectionKey}.${k}` : sectionKey}
            value={v}
            onChange={(nv) => setDraft({ ...draft, [k]: nv })}
          />
        ))}
        {weakening && (
          <div className="panel panel-warn" role="alert">
            <p>
              <Icon name="warn" /> This lowers a safety or trust gate ({weakening.join(', ')}): an
              update could then run while it would otherwise be stopped. Enter the override PIN to
              save it; the change is recorded in the audit log.
            </p>
            <label htmlFor={`pin-${sectionKey}`}>Override PIN</label>
            <input
              id={`pin-${sectionKey}`}
              type="password"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
            />
          </div>
        )}
        <button type="submit">Save {title.toLowerCase()}</button>
      </form>
      {saved && (
        <p className="muted" role="status">
          <Icon name="check" /> {saved}
        </p>
      )}
      {error && <ErrorPanel error={error} title={`${title} not saved`} />}
    </section>
  );
}
