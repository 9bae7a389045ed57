import type { BrowserWindow, Dialog } from 'electron';

/** What the close guard needs to know of a running job. */
export interface RunningJob {
  id: string;
  gateway: string;
  status: string;
  operation: string;
  progress: number;
  state: Record<string, unknown>;
}

/** What closing now would do to each running job, in the technician's terms; null if nothing runs. */
export function closeWarning(jobs: RunningJob[]): { message: string; detail: string } | null {
  if (!jobs.length) return null;
  const lines = jobs.map((j) => {
    const where = `${j.gateway}: ${j.operation.replace(/_/g, ' ')} (${Math.round(j.progress)}%)`;
    if (j.state.switched) {
      return `${where}. The gateway has been switched to try its new slot; it finishes its reboot on its own. Nothing is committed without Rigger: if the new slot is not confirmed, the bootloader goes back to the old one after its boot attempts. Open Rigger again and resume the job to check and commit.`;
    }
    return `${where}. The write stops; the slot being written stays unbootable and the gateway keeps running its current system. Open Rigger again and resume: it continues from the last checkpoint the gateway proves it holds.`;
  });
  return {
    message:
      jobs.length === 1
        ? `A job is running on ${jobs[0]!.gateway}. Close Rigger anyway?`
        : `${jobs.length} jobs are running. Close Rigger anyway?`,
    detail: lines.join('\n\n'),
  };
}

/**
 * Closing the window during a job says first what will happen to it (UX: long work survives);
 * the default answer keeps Rigger open.
 */
export function guardClose(
  win: BrowserWindow,
  running: () => RunningJob[],
  dialog: Pick<Dialog, 'showMessageBoxSync'>,
): void {
  win.on('close', (event) => {
    const warning = closeWarning(running());
    if (!warning) return;
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Keep Rigger open', 'Close and interrupt'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
      ...warning,
    });
    if (choice !== 1) event.preventDefault();
  });
}
