import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { OPERATION_NAMES } from '../shared/api';
import type { RiggerBridge } from '../shared/api-client';

// The channels of src/main/ipc.ts; not imported from there, the preload imports no main code.
const CALL_CHANNEL = 'rigger:call';
const EVENT_CHANNEL = 'rigger:event';

type Call = RiggerBridge['call'];
type TaskFunction = (input?: unknown) => ReturnType<Call>;

/** Task-named functions from the shared operations table: `gateways.status` → rigger.gateways.status(input). */
export function taskFunctions(
  names: readonly string[],
  call: Call,
): Record<string, Record<string, TaskFunction>> {
  const areas: Record<string, Record<string, TaskFunction>> = {};
  for (const op of names) {
    const dot = op.indexOf('.');
    const area = op.slice(0, dot);
    const task = op.slice(dot + 1);
    // An area must never shadow the bridge's own members.
    if (dot < 1 || !task || ['call', 'on', 'pathForFile', 'openFile'].includes(area)) {
      throw new Error(`operation ${op} cannot be given a task-named function`);
    }
    (areas[area] ??= {})[task] = (input) => call(op, input ?? {});
  }
  return areas;
}

/** `window.rigger`: call an operation, listen to events; never ipcRenderer, never the IPC event. */
export function buildBridge(): RiggerBridge & Record<string, unknown> {
  const call: Call = (op, input) => ipcRenderer.invoke(CALL_CHANNEL, op, input);
  const on: RiggerBridge['on'] = (type, handler) => {
    const listener = (_event: IpcRendererEvent, payload: unknown) => {
      if (typeof payload === 'object' && payload !== null && 'type' in payload) {
        if (payload.type === type) handler(payload);
      }
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  };
  // A dropped file's path, which only the preload can read (the images page imports by path).
  const pathForFile = (file: unknown) => webUtils.getPathForFile(file as File);
  // A native open-file dialog: the main process validates it like any call (src/shared/dialog.ts).
  const openFile = (input: unknown) => call('dialog.openFile', input ?? {});
  return { call, on, pathForFile, openFile, ...taskFunctions(OPERATION_NAMES, call) };
}

contextBridge.exposeInMainWorld('rigger', buildBridge());
