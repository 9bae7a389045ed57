import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Icon } from '../../components/Icon';
import { useConsole } from '../../stores/console';
import { useGateways } from '../../stores/gateways';
import { flashRunning, useConsoleFlash } from '../../stores/console-flash';
import { ConsoleConfirm, type Asked } from './ConsoleConfirm';
import { ConsoleFlash } from './ConsoleFlash';
import { STATE_HELP } from './state-help';
import { Terminal } from './Terminal';

const BAUDS = [115200, 57600, 38400, 19200, 9600];

/**
 * The bricked-gateway console: pick the port (detected adapters first) and baud, see what state
 * the gateway is in, get only the actions that state allows, and a real terminal.
 */
export function ConsolePage({ gateway: preset }: { gateway?: string }) {
  const { ports, session, busy, error, env, notice } = useConsole();
  const gateways = useGateways((s) => s.gateways);
  const flashJob = useConsoleFlash((s) => s.job);
  // A flash drives the console for minutes: the quick actions wait for it.
  const locked = !!busy || flashRunning(flashJob);
  // Opened for a gateway on its console: its port, baud and name come filled in.
  const record = gateways.find((g) => g.name === preset);
  const serial = record?.connection.type === 'serial' ? record.connection : null;
  const [path, setPath] = useState('');
  const [typedBaud, setBaud] = useState<number | null>(null);
  const baud = typedBaud ?? serial?.baud ?? 115200;
  const [gateway, setGateway] = useState(preset ?? '');
  const [asked, setAsked] = useState<Asked | null>(null);
  useEffect(() => {
    void useConsole.getState().loadPorts();
    void useGateways.getState().load();
  }, []);
  const chosen = path || serial?.port || ports[0]?.path || '';
  const help = session ? STATE_HELP[session.state] : null;
  const act = useConsole.getState().act;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Console</h1>
      {!session && (
        <form
          className="row console-connect"
          onSubmit={(e) => {
            e.preventDefault();
            void useConsole.getState().open(chosen, baud, gateway || undefined);
          }}
        >
          <div className="field">
            <label htmlFor="console-port">Port</label>
            <input
              id="console-port"
              list="console-ports"
              value={chosen}
              placeholder="/dev/ttyUSB0 or COM3"
              onChange={(e) => setPath(e.target.value)}
            />
            <datalist id="console-ports">
              {ports.map((p) => (
                <option key={p.path} value={p.path}>
                  {p.adapter ?? p.kind}
                </option>
              ))}
            </datalist>
            <p className="field-hint">
              {ports.length
                ? `Detected: ${ports.map((p) => `${p.path} (${p.adapter ?? p.kind})`).join(', ')}`
                : 'No adapter detected: plug in the USB-to-serial adapter, or type the port.'}
            </p>
          </div>
          <div className="field">
            <label htmlFor="console-baud">Baud</label>
            <select
              id="console-baud"
              value={baud}
              onChange={(e) => setBaud(Number(e.target.value))}
            >
              {BAUDS.map((b) => (
                <option key={b} value={b}>
                  {b} 8N1
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="console-gateway">Gateway (for its boot scheme)</label>
            <select
              id="console-gateway"
              value={gateway}
              onChange={(e) => setGateway(e.target.value)}
            >
              <option value="">Not registered</option>
              {gateways.map((g) => (
                <option key={g.name} value={g.name}>
                  {g.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="primary" disabled={!chosen || !!busy}>
            Connect
          </button>
          <button type="button" onClick={() => void useConsole.getState().loadPorts()}>
            <Icon name="sync" /> Look for adapters
          </button>
        </form>
      )}
      {busy && (
        <p role="status" className="muted">
          <Icon name="sync" /> {busy}… (the terminal is read-only meanwhile)
        </p>
      )}
      {error && <ErrorPanel error={error} title="The console did not do that" />}
      {session && help && (
        <div className="console-head">
          <div className="panel panel-info" data-testid="console-state">
            <p className="panel-title">
              {session.path} at {session.baud}: {help.title}
            </p>
            <p>{help.what}</p>
            <p className="muted">Session kept in {session.capture_path}</p>
          </div>
          <div className="actions">
            {session.state === 'autoboot' ||
            session.state === 'kernel' ||
            session.state === 'unknown' ? (
              <button type="button" disabled={locked} onClick={() => void act('stop_autoboot')}>
                Stop autoboot
              </button>
            ) : null}
            {session.state === 'uboot' && (
              <>
                <button type="button" disabled={locked} onClick={() => void act('printenv')}>
                  Print environment
                </button>
                {(['A', 'B'] as const).map((slot) => (
                  <button
                    key={slot}
                    type="button"
                    disabled={locked || !session.gateway}
                    title={
                      session.gateway
                        ? undefined
                        : 'Choose the gateway when connecting: its boot scheme decides the variables'
                    }
                    onClick={() => setAsked({ action: 'switch_slot', slot })}
                  >
                    Boot slot {slot} from now on
                  </button>
                ))}
                <button
                  type="button"
                  disabled={locked || !session.gateway}
                  title={
                    session.gateway
                      ? undefined
                      : 'Choose the gateway when connecting: its profile names the recovery command'
                  }
                  onClick={() => setAsked({ action: 'boot_recovery' })}
                >
                  Boot the recovery system
                </button>
              </>
            )}
            <button type="button" disabled={locked} onClick={() => setAsked({ action: 'reset' })}>
              Reset
            </button>
            <button
              type="button"
              disabled={locked}
              onClick={() => void useConsole.getState().detect()}
            >
              Listen again
            </button>
            <button
              type="button"
              disabled={locked}
              onClick={() => void useConsole.getState().bundle()}
              data-testid="console-bundle"
            >
              Debug bundle
            </button>
            <button type="button" onClick={() => void useConsole.getState().close()}>
              Disconnect
            </button>
          </div>
        </div>
      )}
      {asked && session && (
        <ConsoleConfirm
          asked={asked}
          port={session.path}
          onNo={() => setAsked(null)}
          onYes={() => {
            setAsked(null);
            void act(asked.action, asked.action === 'switch_slot' ? asked.slot : undefined);
          }}
        />
      )}
      {notice && (
        <p className="muted" role="status">
          {notice}
        </p>
      )}
      {env && (
        <details open className="console-env" data-testid="console-env">
          <summary>U-Boot environment ({Object.keys(env).length})</summary>
          <dl className="facts compact">
            {Object.entries(env).map(([k, v]) => (
              <div className="fact" key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      {session && session.gateway && (session.state === 'uboot' || flashJob) && (
        <ConsoleFlash sessionId={session.session_id} disabled={locked} />
      )}
      {session && <Terminal readOnly={locked} />}
    </section>
  );
}
