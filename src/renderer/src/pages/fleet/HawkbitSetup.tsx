import { useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { useHawkbit } from '../../stores/hawkbit';
import { TextField } from '../gateways/TextField';
import { configInputOf, draftOf, type HawkbitSetupDraft } from './hawkbit-setup';

/**
 * The hawkBit connection: server, tenant, the site's gateway token (sealed by the keychain, or
 * read from an environment variable named here), gateway → controllerId, a pinned private CA,
 * and the Management API user for offline reports and rollouts.
 */
export function HawkbitSetup({ onDone }: { onDone: () => void }) {
  const config = useHawkbit((s) => s.status?.config ?? null);
  const error = useHawkbit((s) => s.setupError);
  const [d, setD] = useState<HawkbitSetupDraft>(() => draftOf(config));
  const [bad, setBad] = useState<string | null>(null);
  const field = (key: keyof HawkbitSetupDraft, label: string, hint?: string, secret = false) => (
    <TextField
      id={`hawkbit-${key}`}
      label={label}
      hint={hint}
      type={secret ? 'password' : 'text'}
      autoComplete="off"
      value={d[key]}
      onValue={(v) => setD({ ...d, [key]: v })}
    />
  );
  const save = async () => {
    const r = configInputOf(d);
    if ('error' in r) return setBad(r.error);
    setBad(null);
    if (await useHawkbit.getState().configure(r.input)) onDone();
  };
  return (
    <form
      className="panel"
      data-testid="hawkbit-setup"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="panel-title">hawkBit server</p>
      {field('url', 'Server URL', 'e.g. https://hawkbit.example:8443')}
      {field('tenant', 'Tenant', 'DEFAULT on a single-tenant server')}
      {field(
        'gatewayToken',
        'Gateway token',
        config?.gateway_token === 'keychain'
          ? 'kept in the keychain; type to replace it'
          : 'sealed by the keychain; or name a variable below',
        true,
      )}
      {field('gatewayTokenEnv', 'Or read the token from the environment variable')}
      <div className="field">
        <label htmlFor="hawkbit-controllers">Gateways as hawkBit targets</label>
        <textarea
          id="hawkbit-controllers"
          rows={3}
          value={d.controllers}
          onChange={(e) => setD({ ...d, controllers: e.target.value })}
          aria-describedby="hawkbit-controllers-hint"
        />
        <span className="field-hint" id="hawkbit-controllers-hint">
          One gateway=controllerId per line; a gateway not listed uses the id of its identity file
        </span>
      </div>
      <div className="field">
        <label htmlFor="hawkbit-ca">Private CA (PEM)</label>
        <textarea
          id="hawkbit-ca"
          rows={2}
          value={d.caPem}
          placeholder={config?.ca_pinned ? 'a CA is pinned; paste another to replace it' : ''}
          onChange={(e) => setD({ ...d, caPem: e.target.value })}
        />
      </div>
      {field(
        'managementUser',
        'Management API user',
        'for updates outside any action and for rollouts',
      )}
      {field('managementPassword', 'Management API password', undefined, true)}
      {field('managementPasswordEnv', 'Or read the password from the environment variable')}
      {bad && <p className="field-error">{bad}</p>}
      {error && <ErrorPanel error={error} title="The hawkBit setup was not saved" />}
      <button type="submit" className="primary" data-testid="hawkbit-setup-save">
        Save
      </button>{' '}
      <button type="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
