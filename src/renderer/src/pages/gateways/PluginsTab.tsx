import { useEffect, useState, type FormEvent } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { onPluginTerminal, usePlugins } from '../../stores/plugins';
import { Terminal } from '../console/Terminal';
import { GatewaySection } from './GatewaySection';

/** The Plugins tab: what the gateway runs, installing a ZIP with its terminal output live, rollback. */
export function PluginsTab({ name }: { name: string }) {
  const { plugins, loading, error, running } = usePlugins();
  const [path, setPath] = useState('');
  const [unsigned, setUnsigned] = useState(false);
  useEffect(() => void usePlugins.getState().load(name), [name]);
  const p = running?.progress;
  const busy = !!running && !(p && ['complete', 'error', 'not_found'].includes(p.status));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path.trim() && !busy) void usePlugins.getState().install(path.trim(), unsigned);
  };
  return (
    <GatewaySection name={name} tab="plugins" title="Plugins">
      {error && <ErrorPanel error={error} title="The plugin operation failed" />}
      {plugins === null ? (
        <p className="muted">{loading ? 'Reading the plugin folder…' : 'Not read yet'}</p>
      ) : plugins.length === 0 ? (
        <p className="muted">No plugins on {name} yet.</p>
      ) : (
        <table className="table" data-testid="plugins-table">
          <thead>
            <tr>
              <th>Plugin</th>
              <th>Active</th>
              <th>Previous</th>
              <th>Fits this model</th>
              <th>State</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {plugins.map((x) => (
              <tr key={x.name}>
                <td>{x.name}</td>
                <td>{x.active_version ?? '–'}</td>
                <td>{x.previous_version ?? '–'}</td>
                <td>{x.fits_model ? 'yes' : 'NO'}</td>
                <td>{x.state.replace(/_/g, ' ')}</td>
                <td>
                  <button
                    type="button"
                    disabled={busy || !x.previous_version}
                    onClick={() => void usePlugins.getState().rollback(x.name)}
                  >
                    Roll back to {x.previous_version ?? '…'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="import-form" onSubmit={submit}>
        <label className="field">
          <span>Plugin ZIP on this laptop</span>
          <input
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/media/usb/acs-zoning-1.2.0.zip"
          />
        </label>
        <label className="radio">
          <input
            type="checkbox"
            checked={unsigned}
            onChange={(e) => setUnsigned(e.target.checked)}
          />
          Accept it without a trusted signature (recorded in the audit log)
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !path.trim()}>
            Check and install
          </button>
        </div>
      </form>
      {running && (
        <p
          className="panel panel-info"
          role="status"
          aria-live="polite"
          data-testid="plugin-progress"
        >
          <strong>{running.label}</strong>:{' '}
          {p
            ? `${p.status.replace(/_/g, ' ')} · ${p.progress}% · ${p.error ?? p.message}`
            : 'starting…'}
        </p>
      )}
      <Terminal readOnly source={onPluginTerminal} label="Plugin operation output" />
    </GatewaySection>
  );
}
