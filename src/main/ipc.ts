import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { RiggerError, toErrorData } from '../shared/errors';
import type { Core } from './core/core';
import { isAppUrl } from './window';

export const CALL_CHANNEL = 'rigger:call';
export const EVENT_CHANNEL = 'rigger:event';

export type Envelope =
  { ok: true; value: unknown } | { ok: false; error: ReturnType<typeof toErrorData> };

interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<Envelope>,
  ): void;
}

/** Is this call from the app's own window, its top frame, at the app's own origin? */
export function senderAllowed(event: IpcMainInvokeEvent, win: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!win || win.isDestroyed() || !frame) return false;
  return (
    event.sender === win.webContents && frame === win.webContents.mainFrame && isAppUrl(frame.url)
  );
}

/**
 * The one IPC bridge: every operation goes through one channel, its sender checked and its
 * input validated by the core against the shared schema. Errors travel as data, never thrown
 * (Electron would strip them to a bare message).
 */
export function registerBridge(
  ipcMain: IpcMainLike,
  core: Core,
  getWindow: () => BrowserWindow | null,
): () => void {
  ipcMain.handle(CALL_CHANNEL, async (event, op, input) => {
    if (!senderAllowed(event, getWindow())) {
      console.warn(
        `refused IPC call ${String(op)} from ${event.senderFrame?.url ?? 'an unknown frame'}`,
      );
      return {
        ok: false,
        error: new RiggerError('UNAUTHORIZED', 'This window may not call Rigger').toData(),
      };
    }
    try {
      return { ok: true, value: await core.callUntrusted(op, input) };
    } catch (err) {
      const error = toErrorData(err);
      if (error.code === 'INTERNAL') console.error(`IPC ${String(op)} failed`, err);
      return { ok: false, error };
    }
  });
  // Core events go only to the app's window.
  return core.events.onAny((event) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, event);
  });
}
