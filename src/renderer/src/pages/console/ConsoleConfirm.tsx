import type { SlotId } from '../../../../shared/profile';
import { Dialog } from '../../components/Dialog';

/** A console action that changes what the gateway does, asked for before it is sent. */
export type Asked =
  { action: 'switch_slot'; slot: SlotId } | { action: 'reset' } | { action: 'boot_recovery' };

const WORDS: Record<Asked['action'], { title: (a: Asked) => string; what: string; yes: string }> = {
  switch_slot: {
    title: (a) => `Boot slot ${a.action === 'switch_slot' ? a.slot : ''} from now on?`,
    what: "U-Boot sets the boot scheme's variables, saves its environment and resets the gateway. The other slot is made unbootable, so the gateway will not fall back to it by itself. A failing save is reported and nothing is reset.",
    yes: 'Save and reset',
  },
  reset: {
    title: () => 'Reset the gateway?',
    what: 'The board restarts at once, as after a power cut: whatever runs on it stops. U-Boot then counts down and boots the slot its environment names.',
    yes: 'Reset now',
  },
  boot_recovery: {
    title: () => 'Boot the recovery system?',
    what: "U-Boot runs the profile's recovery command: the gateway leaves the U-Boot prompt and starts the recovery system instead of slot A or B.",
    yes: 'Boot recovery',
  },
};

/** Say what the action will do, and send it only on an explicit yes. */
export function ConsoleConfirm({
  asked,
  port,
  onYes,
  onNo,
}: {
  asked: Asked;
  port: string;
  onYes: () => void;
  onNo: () => void;
}) {
  const w = WORDS[asked.action];
  return (
    <Dialog title={w.title(asked)} onClose={onNo} tone="danger" testId="console-confirm">
      <p>{w.what}</p>
      <p className="muted">Console: {port}</p>
      <div className="actions dialog-actions">
        <button type="button" onClick={onNo} data-autofocus>
          Cancel
        </button>
        <button type="button" className="danger" onClick={onYes}>
          {w.yes}
        </button>
      </div>
    </Dialog>
  );
}
