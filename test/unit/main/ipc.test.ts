import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FakeWebFrame, type FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = (await import('electron')) as unknown as FakeElectron;
const { registerBridge, CALL_CHANNEL, EVENT_CHANNEL } = await import('../../../src/main/ipc');
const { appOrigins } = await import('../../../src/main/protocol');
const { createCore } = await import('../../../src/main/core/core');

type Answer = { ok: boolean; value?: unknown; error?: { error: true; code: string } };

// A real core under Node: the bridge is tested against the calls it will really make.
const dataDir = mkdtempSync(join(tmpdir(), 'rigger-ipc-'));
const core = createCore({ dataDir, mode: 'test' });
afterAll(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const { BrowserWindow, ipcMain } = electron;
const win = new BrowserWindow({});
const stop = registerBridge(ipcMain as never, core, () => win as never, appOrigins());
const handler = () => ipcMain.handlers.get(CALL_CHANNEL);
const call = (sender: unknown, senderFrame: unknown, op: unknown, input?: unknown) =>
  handler()!({ sender, senderFrame }, op, input) as Promise<Answer>;
// Electron may give the handler another object for the window's own top frame.
const own = () => [win.webContents, win.webContents.mainFrame.twin()] as const;
const unauthorized = { ok: false, error: { error: true, code: 'UNAUTHORIZED' } };

describe('the IPC bridge (fake electron, real core)', () => {
  it('registers exactly one handler, on one channel', () => {
    expect([...ipcMain.handlers.keys()]).toEqual([CALL_CHANNEL]);
  });

  it('passes a valid call from the app window to the core', async () => {
    expect(await call(...own(), 'app.info', {})).toMatchObject({
      ok: true,
      value: { mode: 'test', data_dir: dataDir },
    });
    expect(await call(...own(), 'gateways.list', {})).toEqual({ ok: true, value: [] });
    expect(await call(...own(), 'gateways.list')).toEqual({ ok: true, value: [] });
  });

  it('refuses another window', async () => {
    const other = new BrowserWindow({});
    expect(
      await call(other.webContents, other.webContents.mainFrame, 'app.info', {}),
    ).toMatchObject(unauthorized);
    // Another window's contents with a frame claiming to be ours.
    expect(await call(other.webContents, win.webContents.mainFrame, 'app.info', {})).toMatchObject(
      unauthorized,
    );
  });

  it('refuses a sub-frame, a frame that is gone, and a foreign URL', async () => {
    const sub = new FakeWebFrame('app://rigger/index.html');
    sub.parent = win.webContents.mainFrame;
    expect(await call(win.webContents, sub, 'app.info', {})).toMatchObject(unauthorized);
    expect(await call(win.webContents, null, 'app.info', {})).toMatchObject(unauthorized);
    const disposed = Object.defineProperty(win.webContents.mainFrame.twin(), 'url', {
      get() {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    });
    expect(await call(win.webContents, disposed, 'app.info', {})).toMatchObject(unauthorized);
    const stranger = new FakeWebFrame('app://rigger/index.html');
    expect(await call(win.webContents, stranger, 'app.info', {})).toMatchObject(unauthorized);
    for (const url of ['https://evil.example/', 'file:///tmp/x.html', 'http://localhost:5173/']) {
      win.webContents.mainFrame.url = url;
      expect(await call(...own(), 'app.info', {})).toMatchObject(unauthorized);
    }
    win.webContents.mainFrame.url = 'app://rigger/index.html';
  });

  it('refuses every call once the window is destroyed', async () => {
    win.destroyed = true;
    expect(await call(...own(), 'app.info', {})).toMatchObject(unauthorized);
    win.destroyed = false;
  });

  it('answers an unknown operation and a bad input as error data, never a throw', async () => {
    expect(await call(...own(), 'shell.exec', {})).toMatchObject({
      ok: false,
      error: { error: true, code: 'NOT_FOUND' },
    });
    expect(await call(...own(), { toString: 1 }, {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call(...own(), '__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call(...own(), 'gateways.add', { name: '../x' })).toMatchObject({
      ok: false,
      error: { error: true, code: 'VALIDATION_ERROR' },
    });
    expect(await call(...own(), 'gateways.get', { name: 'no-such-gateway' })).toMatchObject({
      ok: false,
      error: { error: true, code: 'NOT_FOUND' },
    });
  });

  it('forwards core events to the app window only, and only while it lives', () => {
    const other = new BrowserWindow({});
    win.webContents.sent = [];
    core.events.emit({ type: 'gateways_changed' });
    expect(win.webContents.sent).toEqual([
      { channel: EVENT_CHANNEL, payload: { type: 'gateways_changed' } },
    ]);
    expect(other.webContents.sent).toEqual([]);

    win.webContents.mainFrame.url = 'https://evil.example/';
    core.events.emit({ type: 'gateways_changed' });
    win.webContents.mainFrame.url = 'app://rigger/index.html';
    win.destroyed = true;
    core.events.emit({ type: 'gateways_changed' });
    win.destroyed = false;
    expect(win.webContents.sent.length).toBe(1);
  });

  it('takes itself down: no handler, no more events', () => {
    stop();
    expect(handler()).toBeUndefined();
    win.webContents.sent = [];
    core.events.emit({ type: 'gateways_changed' });
    expect(win.webContents.sent).toEqual([]);
  });
});
