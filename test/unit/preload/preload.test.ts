import { describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES } from '../../../src/shared/api';
import type { FakeElectron } from '../main/fake-electron';

// FAKE contextBridge and ipcRenderer (no Electron binary here): they record what the preload exposes.
vi.mock('electron', async () => (await import('../main/fake-electron')).createFakeElectron());
const { contextBridge, ipcRenderer } = (await import('electron')) as unknown as FakeElectron;
const { taskFunctions } = await import('../../../src/preload/index');

type Task = (input?: unknown) => Promise<unknown>;
type Bridge = {
  call: (op: string, input: unknown) => Promise<unknown>;
  on: (type: string, h: (...args: unknown[]) => void) => () => void;
  pathForFile: (file: unknown) => string;
  openFile: (input?: unknown) => Promise<unknown>;
} & Record<string, Record<string, Task>>;

const rigger = contextBridge.exposed.rigger as Bridge;
const areas = [...new Set(OPERATION_NAMES.map((op) => op.split('.')[0]!))];

describe('preload (fake electron)', () => {
  it('exposes only window.rigger: call, on, pathForFile, openFile and the task-named functions', () => {
    expect(Object.keys(contextBridge.exposed)).toEqual(['rigger']);
    expect(Object.keys(rigger).sort()).toEqual(
      ['call', 'on', 'pathForFile', 'openFile', ...areas].sort(),
    );
    for (const area of areas) {
      for (const fn of Object.values(rigger[area]!)) expect(typeof fn).toBe('function');
    }
    // Nothing of Electron itself leaks through, at any depth.
    const seen = JSON.stringify(rigger, (_k, v: unknown) => (typeof v === 'function' ? 'fn' : v));
    expect(seen).not.toMatch(/ipc|invoke|send|electron/i);
    for (const value of [rigger, ...areas.map((a) => rigger[a])]) {
      expect(Object.values(value!)).not.toContain(ipcRenderer);
    }
  });

  it('has one task-named function per operation, each through the one call channel', async () => {
    const count = areas.reduce((n, a) => n + Object.keys(rigger[a]!).length, 0);
    expect(count).toBe(OPERATION_NAMES.length);
    expect(await rigger.gateways!.status!({ name: 'gw' })).toEqual({ ok: true, value: 'answer' });
    expect(ipcRenderer.invoked.at(-1)).toEqual(['rigger:call', 'gateways.status', { name: 'gw' }]);
    await rigger.gateways!.list!();
    expect(ipcRenderer.invoked.at(-1)).toEqual(['rigger:call', 'gateways.list', {}]);
    await rigger.call('app.info', {});
    expect(ipcRenderer.invoked.at(-1)).toEqual(['rigger:call', 'app.info', {}]);
  });

  it('hands event handlers the payload only, filtered by type, and unsubscribes', () => {
    const got: unknown[][] = [];
    const off = rigger.on('gateways_changed', (...args) => got.push(args));
    ipcRenderer.emit('rigger:event', { type: 'gateways_changed' });
    ipcRenderer.emit('rigger:event', { type: 'status_change' });
    ipcRenderer.emit('rigger:event', null);
    ipcRenderer.emit('rigger:event', 'gateways_changed');
    ipcRenderer.emit('other-channel', { type: 'gateways_changed' });
    // One call, one argument: the payload, never the IPC event object.
    expect(got).toEqual([[{ type: 'gateways_changed' }]]);
    off();
    expect(ipcRenderer.listeners).toEqual([]);
    ipcRenderer.emit('rigger:event', { type: 'gateways_changed' });
    expect(got).toHaveLength(1);
  });

  it('refuses an operation name that would shadow the bridge', () => {
    const call = async () => ({ ok: true as const, value: null });
    expect(() => taskFunctions(['on.x'], call)).toThrow();
    expect(() => taskFunctions(['call.x'], call)).toThrow();
    expect(() => taskFunctions(['nodot'], call)).toThrow();
    expect(Object.keys(taskFunctions(['a.b', 'a.c'], call).a!)).toEqual(['b', 'c']);
  });

  it('opens the native file dialog through the one call channel', async () => {
    await rigger.openFile({ title: 'Import' });
    expect(ipcRenderer.invoked.at(-1)).toEqual([
      'rigger:call',
      'dialog.openFile',
      { title: 'Import' },
    ]);
    await rigger.openFile();
    expect(ipcRenderer.invoked.at(-1)).toEqual(['rigger:call', 'dialog.openFile', {}]);
  });

  it("gives a dropped file's path through webUtils", () => {
    expect(rigger.pathForFile({})).toBe('/dropped/file.tar.gz');
  });
});
