import type { BrowserWindow, Dialog, IpcMainInvokeEvent } from 'electron';
import { isOperationName } from '../shared/api';
import { isShellOperation, shellOperations, type ShellOperationName } from '../shared/dialog';
import { RiggerError, toErrorData, type RiggerErrorData } from '../shared/errors';
import { parseOrThrow } from '../shared/validation';
import type { z } from 'zod';
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

/** The shell's own operations (src/shared/dialog.ts): each gets its parsed input and the window. */
export type ShellHandlers = {
  [K in ShellOperationName]: (
    input: z.output<(typeof shellOperations)[K]['input']>,
    win: BrowserWindow,
  ) => Promise<z.input<(typeof shellOperations)[K]['output']>>;
};

/** `dialog.openFile`: the native open-file dialog, attached to the app's window. */
export function dialogHandlers(dialog: Pick<Dialog, 'showOpenDialog'>): ShellHandlers {
  return {
    'dialog.openFile': async (input, win) => {
      const r = await dialog.showOpenDialog(win, {
        title: input.title,
        filters: input.filters,
        properties: ['openFile'],
      });
      return { path: r.canceled ? null : (r.filePaths[0] ?? null) };
    },
  };
}

/** Run a shell operation: its input checked with the shared schema first, its answer after. */
async function callShell(
  shell: ShellHandlers,
  op: ShellOperationName,
  input: unknown,
  win: BrowserWindow,
): Promise<unknown> {
  const spec = shellOperations[op];
  const parsed = parseOrThrow(spec.input, input ?? {}, `Input of ${op}`);
  return spec.output.parse(await shell[op](parsed, win));
}

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
  shell?: ShellHandlers,
): () => void {
  // Files the person chose in this window's native dialog: the core may read those.
  const picked = new Set<string>();
  ipcMain.handle(CALL_CHANNEL, async (event, op, input): Promise<Envelope> => {
    const win = getWindow();
    if (!senderAllowed(event, win, origins)) {
      console.warn(`refused IPC call ${printable(op)} from ${senderUrl(event)}`);
      return {
        ok: false,
        error: new RiggerError('UNAUTHORIZED', 'This page may not call Rigger').toData(),
      };
    }
    // The shell's own operations (a native dialog) never reach the core.
    if (shell && isShellOperation(op)) {
      try {
        const value = await callShell(shell, op, input, win!);
        const path = op === 'dialog.openFile' && (value as { path: string | null }).path;
        if (path) picked.add(path);
        return { ok: true, value };
      } catch (err) {
        const error = toErrorData(err);
        if (error.code === 'INTERNAL') console.error(`IPC ${printable(op)} failed`, err);
        return { ok: false, error };
      }
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
      return { ok: true, value: await core.callUntrusted(op, input, picked) };
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
