import { useEffect, useState } from 'react';
import type { RiggerErrorData } from '../../../shared/errors';
import type { Settings } from '../../../shared/settings';
import { ErrorPanel } from '../components/ErrorPanel';
import { api } from '../stores/client';
import { asError } from '../stores/errors';

/** Settings: the theme now; the update, safety and storage settings come with their features. */
export function SettingsPage({ onTheme }: { onTheme: (t: 'light' | 'dark') => void }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [error, setError] = useState<RiggerErrorData | null>(null);
  useEffect(() => {
    api()
      .call('settings.get', {})
      .then(setSettings, (e) => setError(asError(e)));
  }, []);
  const setTheme = async (theme: 'light' | 'dark') => {
    try {
      await api().call('settings.update', { rigger: { theme } });
      setSettings((s) => (s ? { ...s, rigger: { ...s.rigger, theme } } : s));
      onTheme(theme);
    } catch (e) {
      setError(asError(e));
    }
  };
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Settings</h1>
      {error && <ErrorPanel error={error} />}
      {settings && (
        <fieldset className="field">
          <legend>Theme</legend>
          {(['light', 'dark'] as const).map((t) => (
            <label key={t} className="radio">
              <input
                type="radio"
                name="theme"
                checked={settings.rigger.theme === t}
                onChange={() => void setTheme(t)}
              />
              {t === 'light' ? 'Light (best in sunlight)' : 'Dark'}
            </label>
          ))}
        </fieldset>
      )}
      <div className="panel panel-info">
        <p className="panel-title">More settings come with their features</p>
        <p>
          Update settings, safety thresholds, the PIN, trusted keys, the update server and storage
          are not built yet.
        </p>
      </div>
    </section>
  );
}
