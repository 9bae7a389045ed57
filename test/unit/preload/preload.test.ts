import { describe, expect, it, vi } from 'vitest';

/** FAKE contextBridge and ipcRenderer (no Electron binary here): they record what the preload exposes. */
const exposed: Record<string, unknown> = {};
const listeners: Array<(event: unknown, payload: unknown) => void> = [];
const invoked: unknown[][] = [];
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  webUtils: { getPathForFile: () => '/dropped/file.tar.gz' },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: 'answer' }),
    on: (_ch: string, l: (event: unknown, payload: unknown) => void) => listeners.push(l),
    removeListener: (_ch: string, l: (event: unknown, payload: unknown) => void) =>
      listeners.splice(listeners.indexOf(l), 1),
  },
}));
await import('../../../src/preload/index');

type Bridge = {
  call: (op: string, input: unknown) => Promise<unknown>;
  on: (type: string, h: (e: unknown) => void) => () => void;
  gateways: Record<string, (input?: unknown) => Promise<unknown>>;
};

describe('preload (fake electron)', () => {
  const rigger = exposed.rigger as Bridge;

  it('exposes only window.rigger: call, on and task-named functions, not ipcRenderer', () => {
    expect(Object.keys(exposed)).toEqual(['rigger']);
    expect(Object.keys(rigger)).toEqual(
      expect.arrayContaining(['call', 'on', 'gateways', 'settings', 'app']),
    );
    expect(
      Object.values(rigger).every(
        (v) =>
          typeof v === 'function' ||
          Object.values(v as object).every((f) => typeof f === 'function'),
      ),
    ).toBe(true);
    expect(JSON.stringify(Object.keys(rigger))).not.toMatch(/ipc|invoke|send/i);
  });

  it('task-named functions go through the one call channel', async () => {
    expect(await rigger.gateways.status!({ name: 'gw' })).toEqual({ ok: true, value: 'answer' });
    expect(invoked.at(-1)).toEqual(['rigger:call', 'gateways.status', { name: 'gw' }]);
  });

  it('hands event handlers the payload only, filtered by type, and unsubscribes', () => {
    const got: unknown[] = [];
    const off = rigger.on('gateways_changed', (e) => got.push(e));
    const ipcEvent = { sender: 'the ipc event object' };
    listeners.forEach((l) => l(ipcEvent, { type: 'gateways_changed' }));
    listeners.forEach((l) => l(ipcEvent, { type: 'status_change' }));
    expect(got).toEqual([{ type: 'gateways_changed' }]);
    off();
    expect(listeners.length).toBe(0);
  });
});
