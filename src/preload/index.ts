import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { OPERATION_NAMES } from '../shared/api';
import type { RiggerBridge } from '../shared/api-client';

const CALL_CHANNEL = 'rigger:call';
const EVENT_CHANNEL = 'rigger:event';

/** `window.rigger`: call an operation, listen to events; never ipcRenderer, never the IPC event. */
function buildBridge(): RiggerBridge & Record<string, unknown> {
  const call: RiggerBridge['call'] = (op, input) => ipcRenderer.invoke(CALL_CHANNEL, op, input);
  const on: RiggerBridge['on'] = (type, handler) => {
    const listener = (_event: IpcRendererEvent, payload: { type?: string }) => {
      if (payload?.type === type) handler(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, listener);
    };
  };
  // Task-named functions, from the shared operations table: rigger.gateways.status({ name }).
  const areas: Record<
    string,
    Record<string, (input?: unknown) => ReturnType<RiggerBridge['call']>>
  > = {};
  for (const op of OPERATION_NAMES) {
    const [area, fn] = op.split('.') as [string, string];
    (areas[area] ??= {})[fn] = (input?: unknown) => call(op, input ?? {});
  }
  const pathForFile = (file: unknown) => webUtils.getPathForFile(file as File);
  return { call, on, pathForFile, ...areas };
}

contextBridge.exposeInMainWorld('rigger', buildBridge());
