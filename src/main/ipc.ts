import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { isOperationName } from '../shared/api';
import { RiggerError, toErrorData, type RiggerErrorData } from '../shared/errors';
import type { Core } from './core/core';
import { isAppUrl } from './protocol';

export const CALL_CHANNEL = 'rigger:call';
export const EVENT_CHANNEL = 'rigger:event';

/** What every call answers: Electron strips thrown errors to a bare message, so none is thrown. */
export type Envelope = { ok: true; value: unknown } | { ok: false; error: RiggerErrorData };

/** The part of ipcMain the bridge uses. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<Envelope>,
  ): void;
  removeHandler(channel: string): void;
}

/** Is this call from the app's own window, its top frame, at one of the app's origins? */
export function senderAllowed(
  event: IpcMainInvokeEvent,
  win: BrowserWindow | null,
  origins: readonly string[],
): boolean {
  if (!win || win.isDestroyed()) return false;
  const contents = win.webContents;
  const frame = event.senderFrame;
  if (!frame || event.sender.id !== contents.id) return false;
  // Electron may hand out distinct WebFrameMain objects for one frame: compare the frame's
  // identity (process + token), not the JavaScript object.
  try {
    const top = contents.mainFrame;
    return (
      frame.parent === null &&
      frame.processId === top.processId &&
      frame.frameToken === top.frameToken &&
      isAppUrl(frame.url, origins)
    );
  } catch {
    return false; // a frame disposed mid-call throws on access
  }
}

/** Where a call came from, for the log; a disposed frame throws on access. */
function senderUrl(event: IpcMainInvokeEvent): string {
  try {
    return event.senderFrame?.url ?? 'a frame that is gone';
  } catch {
    return 'a frame that is gone';
  }
}

/** A name from an untrusted caller, short enough to log. */
const printable = (op: unknown) =>
  typeof op === 'string' ? JSON.stringify(op.slice(0, 80)) : `(a ${typeof op})`;

/**
 * The one IPC bridge: every operation goes through one channel, its sender checked and its
 * input validated by the core against the shared schema; core events go to the app's window
 * only. Returns a function that takes it all down again.
 */
export function registerBridge(
  ipcMain: IpcMainLike,
  core: Pick<Core, 'callUntrusted' | 'events'>,
  getWindow: () => BrowserWindow | null,
  origins: readonly string[],
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, op, input): Promise<Envelope> => {
    if (!senderAllowed(event, getWindow(), origins)) {
      console.warn(`refused IPC call ${printable(op)} from ${senderUrl(event)}`);
      return {
        ok: false,
        error: new RiggerError('UNAUTHORIZED', 'This page may not call Rigger').toData(),
      };
    }
    // The core checks this too; answering here keeps an odd name (an object, a huge string)
    // from ever reaching it.
    if (!isOperationName(op)) {
      return {
        ok: false,
        error: new RiggerError('NOT_FOUND', `Unknown operation ${printable(op)}`).toData(),
      };
    }
    try {
      return { ok: true, value: await core.callUntrusted(op, input) };
    } catch (err) {
      const error = toErrorData(err);
      // A user error is shown as written; an internal one is logged here with its stack.
      if (error.code === 'INTERNAL') console.error(`IPC ${printable(op)} failed`, err);
      return { ok: false, error };
    }
  });
  const unsubscribe = core.events.onAny((event) => {
    const win = getWindow();
    if (!win || win.isDestroyed() || win.webContents.isDestroyed()) return;
    // Never hand the core's events to a page that is not the app's own.
    if (!isAppUrl(win.webContents.getURL(), origins)) return;
    win.webContents.send(EVENT_CHANNEL, event);
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
