import { useEffect, useState } from 'react';
import { ErrorPanel } from '../../components/ErrorPanel';
import { ProgressBar } from '../../components/ProgressBar';
import { useImages } from '../../stores/images';
import {
  flashRunning,
  flashView,
  useConsoleFlash,
  type FlashVia,
} from '../../stores/console-flash';
import type { SlotId } from '../../../../shared/profile';

const VIAS: Array<[FlashVia, string, string]> = [
  ['auto', 'Automatic', "TFTP when the board answers on U-Boot's network, else YMODEM"],
  ['tftp', 'TFTP', "U-Boot's network: minutes for a root image"],
  ['ymodem', 'YMODEM', 'The console itself: hours for a root image'],
];

const pathName = (via: string | null) =>
  via === 'tftp' ? 'TFTP' : via === 'ymodem' ? 'YMODEM' : 'choosing…';

/**
 * Write a slot from the library at U-Boot: TFTP, YMODEM or Rigger's choice, then the path it
 * took and why, the chunk under way with speed and ETA, and where a stopped flash goes on from.
 */
export function ConsoleFlash({ sessionId, disabled }: { sessionId: string; disabled: boolean }) {
  const images = useImages((s) => s.images);
  const { job, progress, error } = useConsoleFlash();
  const [imageId, setImageId] = useState('');
  const [slot, setSlot] = useState<SlotId>('B');
  const [via, setVia] = useState<FlashVia>('auto');
  const [port, setPort] = useState('');
  const [allowUnsigned, setAllowUnsigned] = useState(false);
  useEffect(() => {
    void useImages.getState().load();
  }, []);
  const chosen = imageId || images[0]?.id || '';
  const v = flashView(job, progress);
  const running = flashRunning(job);
  const tftpPort = /^\d+$/.test(port) ? Number(port) : null;
  return (
    <section className="panel console-flash" aria-labelledby="console-flash-title">
      <h2 id="console-flash-title">Flash a slot from U-Boot</h2>
      {!job && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void useConsoleFlash
              .getState()
              .start({ sessionId, imageId: chosen, slot, via, tftpPort, allowUnsigned });
          }}
        >
          <div className="field">
            <label htmlFor="flash-image">Image</label>
            <select id="flash-image" value={chosen} onChange={(e) => setImageId(e.target.value)}>
              {images.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.version} ({i.signature})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="flash-slot">Slot</label>
            <select
              id="flash-slot"
              value={slot}
              onChange={(e) => setSlot(e.target.value as SlotId)}
            >
              <option value="A">A</option>
              <option value="B">B</option>
            </select>
          </div>
          <fieldset className="field">
            <legend>Send over</legend>
            {VIAS.map(([value, label, hint]) => (
              <label key={value} title={hint}>
                <input
                  type="radio"
                  name="flash-via"
                  value={value}
                  checked={via === value}
                  onChange={() => setVia(value)}
                />{' '}
                {label}
              </label>
            ))}
          </fieldset>
          {via !== 'ymodem' && (
            <div className="field">
              <label htmlFor="flash-tftp-port">TFTP port</label>
              <input
                id="flash-tftp-port"
                inputMode="numeric"
                value={port}
                placeholder="69, else 6969"
                onChange={(e) => setPort(e.target.value)}
              />
              <p className="field-hint">
                Empty: 69 where Rigger may serve on it (root or CAP_NET_BIND_SERVICE), else 6969,
                told to U-Boot with tftpdstp (which some U-Boot builds ignore).
              </p>
            </div>
          )}
          <label>
            <input
              type="checkbox"
              checked={allowUnsigned}
              onChange={(e) => setAllowUnsigned(e.target.checked)}
            />{' '}
            Allow an unsigned image (audited)
          </label>
          <button type="submit" className="primary" disabled={disabled || !chosen}>
            Flash slot {slot}
          </button>
        </form>
      )}
      {job && (
        <div data-testid="console-flash-job">
          <p data-testid="console-flash-path">
            <strong>Path: {pathName(v.via)}</strong>
            {v.viaReason ? ` — ${v.viaReason}` : ''}
          </p>
          {running && (
            <ProgressBar
              label={v.chunk && v.chunks ? `Chunk ${v.chunk} of ${v.chunks}` : 'Flashing'}
              event={progress}
            />
          )}
          {!!v.resumedFromChunk && (
            <p className="muted">
              Resumed: went on from chunk {v.resumedFromChunk + 1}; the {v.resumedFromChunk} before
              it were proven already.
            </p>
          )}
          {job.status === 'success' && (
            <p role="status">Slot written and read back chunk by chunk.</p>
          )}
          {!running && job.status !== 'success' && (
            <div className="panel panel-warning" data-testid="console-flash-stopped">
              <p>
                The flash stopped ({job.status}): {job.error ?? 'no reason recorded'}.
                {v.chunksDone !== null &&
                  ` ${v.chunksDone} chunk(s) are written and proven; the slot stays unbootable until a flash completes.`}
              </p>
              {job.resumable && (
                <button type="button" onClick={() => void useConsoleFlash.getState().resume()}>
                  Resume from chunk {(v.chunksDone ?? 0) + 1}
                </button>
              )}
            </div>
          )}
          {!running && (
            <button
              type="button"
              onClick={() => {
                useConsoleFlash.getState().clear();
                // Images imported meanwhile are offered too.
                void useImages.getState().load();
              }}
            >
              Flash again
            </button>
          )}
        </div>
      )}
      {error && <ErrorPanel error={error} title="The flash did not start" />}
    </section>
  );
}
