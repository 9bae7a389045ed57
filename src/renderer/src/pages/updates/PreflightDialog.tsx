import { useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import type { WindowState } from '../../../../shared/maintenance';
import { useUpdates, type Preflight } from '../../stores/updates';
import { OverrideDialog } from './OverrideDialog';
import { SafetyPanel } from './SafetyPanel';
import { WritePlanFact } from './WritePlanFact';
import { formatDateTime } from '../../../../shared/format/time';

/** Check, then go: the slot that will be written, the signals, the window, every step. */
export function PreflightDialog({ gateway, pre }: { gateway: string; pre: Preflight }) {
  const [rebootDelay, setRebootDelay] = useState(10);
  const [snapshot, setSnapshot] = useState(true);
  const [outsideWindow, setOutsideWindow] = useState(false);
  const [overriding, setOverriding] = useState(false);
  const overrideUntil = useUpdates((s) => s.overrideUntil);
  // A clock for the override's countdown, ticking while the dialog is open.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const boot = pre.status.boot;
  const booted = boot?.booted_slot ?? null;
  const target = booted === 'A' ? 'B' : booted === 'B' ? 'A' : null;
  const windowClosed = !pre.window.open;
  const canGo =
    !!target &&
    !!boot?.consistent &&
    pre.offer.compatible &&
    pre.safety.update_allowed &&
    (!windowClosed || outsideWindow);
  const close = () => useUpdates.getState().closePreflight();
  return (
    <Dialog
      title={`Install ${pre.offer.version} on ${gateway}?`}
      onClose={close}
      testId="preflight"
    >
      <p>
        {gateway} runs{' '}
        <strong>{pre.status.partitions.active.version ?? 'an unknown version'}</strong> from slot{' '}
        <strong>{booted ?? '?'}</strong>. Slot <strong>{target ?? '?'}</strong> will be written with{' '}
        <strong>{pre.offer.version}</strong>.
      </p>
      <dl className="preflight-facts" data-testid="preflight-facts">
        <div>
          <dt>Booted now</dt>
          <dd>
            Slot {booted ?? '?'} · {pre.status.partitions.active.version ?? 'unknown version'}
            {boot?.upgrade_pending ? ' · an earlier update is not committed yet' : ''} (left
            untouched)
          </dd>
        </div>
        <div>
          <dt>Written</dt>
          <dd>
            Slot {target ?? '?'} · now holds{' '}
            {pre.status.partitions.inactive.version ?? 'an unknown version'}, replaced by{' '}
            {pre.offer.version}
          </dd>
        </div>
        <WritePlanFact plan={pre.plan} />
        <div>
          <dt>Signature</dt>
          <dd>
            <Icon name={pre.offer.signature === 'verified' ? 'check' : 'warn'} />{' '}
            {pre.offer.signature ?? 'unknown'}
          </dd>
        </div>
        <div>
          <dt>Fits this gateway</dt>
          <dd>
            <Icon name={pre.offer.compatible ? 'check' : 'stop'} />{' '}
            {pre.offer.compatible
              ? `yes (${pre.status.gateway.model ?? 'model'}${pre.status.gateway.hardware_revision ? ` ${pre.status.gateway.hardware_revision}` : ''})`
              : 'no: another model, hardware revision or too old'}
            {pre.offer.prerequisites.length > 0 && ` · needs ${pre.offer.prerequisites.join(', ')}`}
          </dd>
        </div>
        <div>
          <dt>Maintenance window</dt>
          <dd>{windowText(pre.window)}</dd>
        </div>
      </dl>
      {!boot?.consistent && (
        <p className="panel panel-alarm">
          <Icon name="stop" /> The booted slot is not known for sure: nothing can be written.
        </p>
      )}
      <SafetyPanel safety={pre.safety} />
      {pre.safety.overridden.length > 0 && overrideUntil && (
        <p className="panel panel-warn" data-testid="override-until">
          <Icon name="warn" /> Override active until {formatDateTime(overrideUntil)} (
          {Math.max(0, Math.round((Date.parse(overrideUntil) - now) / 60_000))} min left). The
          signals are read again before the switch and the reboot.
        </p>
      )}
      {!pre.safety.update_allowed && (
        <button type="button" className="danger" onClick={() => setOverriding(true)}>
          Override with PIN…
        </button>
      )}
      {windowClosed && (
        <div className="panel panel-warn">
          <p className="panel-title">
            <Icon name="warn" /> Outside the maintenance window
          </p>
          <p>
            It opens{' '}
            {pre.window.opens_at ? formatDateTime(pre.window.opens_at) : 'at no scheduled time'}.
          </p>
          <label className="inline">
            <input
              type="checkbox"
              checked={outsideWindow}
              onChange={(e) => setOutsideWindow(e.target.checked)}
            />
            Install now anyway (recorded)
          </label>
        </div>
      )}
      <ol className="steps">
        <li>Check the image and the gateway again; read the crane's signals.</li>
        <li>Make slot {target} unbootable, so a power cut mid-write boots the current system.</li>
        <li>
          Write {pre.offer.version} to slot {target}; the gateway reads it back and its SHA-256 must
          match.
        </li>
        {snapshot && <li>Keep a snapshot of the data paths on this laptop.</li>}
        <li>
          Switch to slot {target} for one trial boot and reboot after {rebootDelay} s.
        </li>
        <li>
          Check that slot {target} booted and is healthy, then commit. If not, the bootloader
          returns to slot {booted}.
        </li>
      </ol>
      <div className="row">
        <label className="inline">
          <input
            type="checkbox"
            checked={snapshot}
            onChange={(e) => setSnapshot(e.target.checked)}
          />
          Snapshot the data first
        </label>
        <label className="inline">
          Reboot after
          <select value={rebootDelay} onChange={(e) => setRebootDelay(Number(e.target.value))}>
            {[0, 5, 10, 30, 60].map((s) => (
              <option key={s} value={s}>
                {s} s
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="actions dialog-actions">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button
          type="button"
          className="primary"
          disabled={!canGo}
          data-autofocus
          onClick={() =>
            void useUpdates.getState().install({ rebootDelay, snapshot, outsideWindow })
          }
        >
          Install on slot {target ?? '?'}
        </button>
      </div>
      {overriding && (
        <OverrideDialog
          gateway={gateway}
          safety={pre.safety}
          onClose={() => setOverriding(false)}
        />
      )}
    </Dialog>
  );
}

/** The maintenance window setting in a few words. */
function windowText(w: WindowState): string {
  if (!w.enabled) return 'not set: installs are allowed at any time';
  if (w.open) return w.closes_at ? `open until ${formatDateTime(w.closes_at)}` : 'open now';
  return `closed; opens ${w.opens_at ? formatDateTime(w.opens_at) : 'at no scheduled time'}`;
}
