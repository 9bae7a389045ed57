import { Icon } from '../../components/Icon';
import { ErrorPanel } from '../../components/ErrorPanel';
import { selectSettings, useSettings } from '../../stores/settings';
import { selectTheme, useUi, type Theme } from '../../stores/ui';
import { PinForm } from './PinForm';
import { SettingsForm } from './SettingsForm';
import { TrustedKeys } from '../TrustedKeys';

const THEMES: ReadonlyArray<readonly [Theme, string]> = [
  ['light', 'Light (best in sunlight)'],
  ['dark', 'Dark'],
];

/** Settings: the theme, the PIN, trusted keys, and every section of the settings document. */
export function SettingsPage() {
  const settings = useSettings(selectSettings);
  const error = useSettings((s) => s.error);
  const restart = useSettings((s) => s.restartRequired);
  const theme = useUi(selectTheme);

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>
        Settings
      </h1>
      {error && (
        <ErrorPanel error={error} title="The settings cannot be read or saved">
          <button type="button" onClick={() => void useSettings.getState().load()}>
            Try again
          </button>
        </ErrorPanel>
      )}
      <fieldset className="field theme-choice" disabled={!settings}>
        <legend>Theme</legend>
        {THEMES.map(([value, label]) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name="theme"
              value={value}
              checked={theme === value}
              onChange={() => void useSettings.getState().setTheme(value)}
              data-testid={`theme-${value}`}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {restart && (
        <p className="panel panel-warn" role="status">
          <Icon name="warn" /> Restart Rigger for this change to take effect.
        </p>
      )}
      <TrustedKeys />
      <PinForm />
      {!settings && !error && <p className="muted">Loading the settings…</p>}
      {settings && <SettingsForm settings={settings} />}
    </section>
  );
}
