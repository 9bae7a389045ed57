import { CHANNELS, DAYS, SCHEDULES } from '../../../../shared/settings';
import { humanize } from './settings-view';
import { shown, stored, unitOf, type Value } from './settings-draft';

/** Choices for the fields that take one (or several) of a fixed set. */
const OPTIONS: Record<string, readonly string[]> = {
  'channels.current': CHANNELS,
  'channels.available': CHANNELS,
  'maintenance_window.schedule': SCHEDULES,
  'maintenance_window.days': DAYS,
};

/** A field's label: its words, and the unit it is shown in (never ms or bytes). */
export function fieldLabel(path: string): string {
  const key = path
    .split('.')
    .at(-1)!
    .replace(/_(ms|bytes)$/, '');
  const unit = unitOf(path);
  return humanize(key) + (unit ? ` (${unit})` : '');
}

/** One setting, edited by its type, in the unit people use. */
export function SettingField({
  path,
  value,
  onChange,
}: {
  path: string;
  value: Value;
  onChange: (v: Value) => void;
}) {
  const id = `set-${path.replace(/\W/g, '-')}`;
  const label = fieldLabel(path);
  const options = OPTIONS[path];
  if (typeof value === 'boolean') {
    return (
      <label className="inline setting">
        <input
          id={id}
          type="checkbox"
          checked={value}
          onChange={(e) => onChange(e.target.checked)}
        />
        {label}
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
      ) : typeof value === 'number' ? (
        <input
          id={id}
          type="number"
          step="any"
          value={shown(path, value)}
          onChange={(e) => onChange(stored(path, Number(e.target.value)))}
        />
      ) : (
        <input
          id={id}
          type={path.endsWith('.time') ? 'time' : 'text'}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </div>
  );
}
