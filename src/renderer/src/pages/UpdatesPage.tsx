import { useState } from 'react';
import type { RiggerErrorData } from '../../../shared/errors';
import type { UpdatesCheck } from '../../../shared/images';
import { Icon } from '../components/Icon';
import { ErrorPanel } from '../components/ErrorPanel';
import { api } from '../stores/client';
import { asError } from '../stores/errors';
import { useGateways } from '../stores/gateways';
import { bytes, signatureLook } from './images/look';

/** What in the library (and the last catalog) fits one gateway: newer, right model and revision. */
export function UpdatesPage({ gateway }: { gateway?: string }) {
  const gateways = useGateways((s) => s.gateways);
  const [chosen, setName] = useState(gateway ?? '');
  // Until one is chosen, the first gateway is the one shown.
  const name = chosen || gateways[0]?.name || '';
  const [result, setResult] = useState<UpdatesCheck | null>(null);
  const [error, setError] = useState<RiggerErrorData | null>(null);
  const [busy, setBusy] = useState(false);
  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api().call('updates.check', { gateway: name }));
    } catch (e) {
      setError(asError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Updates</h1>
      <div className="row">
        <label className="field">
          <span>Gateway</span>
          <select value={name} onChange={(e) => setName(e.target.value)}>
            {gateways.map((g) => (
              <option key={g.name}>{g.name}</option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button className="primary" onClick={() => void check()} disabled={!name || busy}>
            {busy ? 'Checking…' : 'Check what fits'}
          </button>
        </div>
      </div>
      {error && <ErrorPanel error={error} title={`Cannot check ${name}`} />}
      {result && (
        <>
          <p className="muted">
            {name} runs {result.gateway_version ?? 'an unknown version'} · channel {result.channel}{' '}
            · catalog refreshed{' '}
            {result.last_checked ? new Date(result.last_checked).toLocaleString() : 'never'}
            {result.offline &&
              ' · the update server could not be reached, showing what is on this laptop'}
          </p>
          {result.updates.length === 0 ? (
            <p className="panel panel-info">
              Nothing newer fits this gateway. It is up to date with this laptop's library.
            </p>
          ) : (
            <ul className="cards">
              {result.updates.map((u) => {
                const look = signatureLook(u.signature);
                return (
                  <li key={u.id} className="card" data-testid={`update-${u.id}`}>
                    <h2>{u.version}</h2>
                    <p>
                      {u.type ?? 'image'} · {u.severity ?? 'unrated'} ·{' '}
                      {bytes(Math.round(u.size * 1_000_000))}
                    </p>
                    <p>{u.description}</p>
                    <p className={`status status-${look.tone}`}>
                      <Icon name={look.icon} />{' '}
                      {u.downloaded
                        ? `signature ${u.signature}`
                        : 'in the catalog, not downloaded yet'}
                    </p>
                    <p className="muted">
                      Installing comes with the update feature; it is not built yet.
                    </p>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
