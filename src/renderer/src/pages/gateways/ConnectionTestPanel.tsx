import { useEffect, useRef } from 'react';
import type { ConnectionTest } from '../../../../shared/gateway-test';
import { Facts, type Fact } from '../../components/Facts';
import { Icon } from '../../components/Icon';

interface Props {
  result: ConnectionTest;
  busy: boolean;
  /** Trust the first host key shown, and test the login with it. */
  onAccept: (fingerprint: string) => void;
}

const yesNo = (v: boolean | null, yes: string, no: string) =>
  v === null ? 'not tried' : v ? yes : no;

/** What a connection test found: reachable, the host key, the login, the gateway's identity. */
export function ConnectionTestPanel({ result: r, busy, onAccept }: Props) {
  const panel = useRef<HTMLElement>(null);
  // The answer appears below the fields: bring it (and its buttons) into the dialog's view.
  useEffect(() => {
    panel.current?.scrollIntoView?.({ block: 'end' });
  }, [r]);
  const k = r.host_key;
  const rows: Fact[] = [['Reachable', yesNo(r.reachable, 'yes', 'no')]];
  if (k)
    rows.push([
      'Host key',
      <>
        <code className="fingerprint" data-testid="test-fingerprint">
          {k.fingerprint}
        </code>{' '}
        ({k.algorithm}),{' '}
        <strong data-testid="test-key-state" data-state={k.state}>
          {k.state === 'changed'
            ? 'CHANGED'
            : k.state === 'known'
              ? 'known'
              : r.ok
                ? 'new, accepted: pinned when you save'
                : 'new'}
        </strong>
      </>,
    ]);
  rows.push(['Login', yesNo(r.login, `worked (${r.target})`, 'refused')]);
  if (r.identity) {
    const i = r.identity;
    rows.push([
      'Gateway',
      [
        i.gateway_id ?? 'id unknown',
        i.model ?? 'model unknown',
        i.version ?? 'version unknown',
      ].join(' · '),
    ]);
  }
  const tone = r.ok
    ? 'panel-info'
    : r.problem?.reason === 'host_key_new'
      ? 'panel-warn'
      : 'panel-error';
  return (
    <section
      ref={panel}
      className={`panel ${tone}`}
      data-testid="connection-test"
      aria-live="polite"
    >
      <p className="panel-title">
        <Icon name={r.ok ? 'check' : r.problem?.reason === 'host_key_new' ? 'question' : 'stop'} />{' '}
        {r.ok
          ? 'Connection tested: it can be saved'
          : r.problem?.reason === 'host_key_new'
            ? 'First connection: check the host key'
            : 'The connection test failed'}
      </p>
      <Facts rows={rows} testId="connection-test-facts" />
      {r.problem && (
        <>
          <p data-testid="connection-test-problem">
            {r.problem.message} <span className="muted">({r.problem.code})</span>
          </p>
          {r.problem.suggested_actions.length > 0 && (
            <ul>
              {r.problem.suggested_actions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          )}
        </>
      )}
      {r.problem?.reason === 'host_key_new' && k && (
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => onAccept(k.fingerprint)}
          data-testid="accept-host-key"
        >
          Trust this key and test the login
        </button>
      )}
    </section>
  );
}
