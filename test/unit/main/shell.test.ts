import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeBrowserWindow,
  fakeIpcMain,
  fakeProtocol,
  fakeSafeStorage,
  fakeSession,
} from './fake-electron';

vi.mock('electron', async () => {
  const fake = await import('./fake-electron');
  return {
    BrowserWindow: fake.FakeBrowserWindow,
    session: fake.fakeSession,
    ipcMain: fake.fakeIpcMain,
    safeStorage: fake.fakeSafeStorage,
    protocol: fake.fakeProtocol,
  };
});

const { createMainWindow, hardenSession } = await import('../../../src/main/window');
const { registerBridge, CALL_CHANNEL, EVENT_CHANNEL } = await import('../../../src/main/ipc');
const { safeStorageSecretStore } = await import('../../../src/main/secret-store');
const { appResponse } = await import('../../../src/main/protocol');
const { createCore } = await import('../../../src/main/core/core');

type Win = InstanceType<typeof FakeBrowserWindow>;
const core = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'rigger-shell-')), mode: 'test' });
afterAll(() => core.close());

describe('the main window (fake electron)', () => {
  let win: Win;
  beforeEach(() => {
    win = createMainWindow('/preload') as unknown as Win;
  });

  it('is created with every security setting', () => {
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/preload/index.js',
    });
    expect(win.options).toMatchObject({ width: 1280, height: 800, show: false });
  });

  it('denies navigation to another origin, allows its own, denies new windows and webviews', () => {
    const navigate = (url: string) => {
      const event = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      win.webContents.emit('will-navigate', event, url);
      return event.prevented;
    };
    expect(navigate('https://example.com/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('app://rigger/index.html#/gateways')).toBe(false);
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({
      action: 'deny',
    });
    const attach = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    win.webContents.emit('will-attach-webview', attach);
    expect(attach.prevented).toBe(true);
  });

  it('denies every permission request and check', () => {
    hardenSession();
    let granted: boolean | null = null;
    fakeSession.permission.request?.({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(fakeSession.permission.check?.()).toBe(false);
  });
});

describe('the IPC bridge (fake electron, real core)', () => {
  const win = new FakeBrowserWindow({});
  registerBridge(fakeIpcMain as never, core, () => win as never);
  const call = (sender: unknown, frame: unknown, op: unknown, input: unknown) =>
    fakeIpcMain.handlers.get(CALL_CHANNEL)!({ sender, senderFrame: frame }, op, input) as Promise<{
      ok: boolean;
      value?: unknown;
      error?: { code: string };
    }>;
  const own = () => [win.webContents, win.webContents.mainFrame] as const;

  it('passes a valid call from the app window to the core', async () => {
    const r = await call(...own(), 'app.info', {});
    expect(r).toMatchObject({ ok: true, value: { mode: 'test' } });
    expect(await call(...own(), 'gateways.list', {})).toEqual({ ok: true, value: [] });
  });

  it('refuses a foreign sender, a sub-frame and a foreign URL', async () => {
    const other = new FakeBrowserWindow({});
    expect(
      await call(other.webContents, other.webContents.mainFrame, 'app.info', {}),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect(
      await call(win.webContents, { url: 'app://rigger/index.html' }, 'app.info', {}),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    win.webContents.mainFrame.url = 'https://evil.example/';
    expect(await call(...own(), 'app.info', {})).toMatchObject({
      ok: false,
      error: { code: 'UNAUTHORIZED' },
    });
    win.webContents.mainFrame.url = 'app://rigger/index.html';
  });

  it('answers an unknown operation and a bad input as error data, never a throw', async () => {
    expect(await call(...own(), 'shell.exec', {})).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await call(...own(), 'gateways.add', { name: '../x' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_ERROR' },
    });
  });

  it('forwards core events to the app window only while it lives', async () => {
    win.webContents.sent = [];
    core.events.emit({ type: 'gateways_changed' });
    expect(win.webContents.sent).toEqual([
      { channel: EVENT_CHANNEL, payload: { type: 'gateways_changed' } },
    ]);
    win.destroyed = true;
    core.events.emit({ type: 'gateways_changed' });
    expect(win.webContents.sent.length).toBe(1);
  });
});

describe('the app:// protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-proto-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<html></html>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'x');
  writeFileSync(join(tmpdir(), 'rigger-secret.txt'), 'secret');

  it('serves the renderer with its CSP, and refuses traversal and other hosts', async () => {
    const ok = await appResponse(dir, 'app://rigger/index.html');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(
      (await appResponse(dir, 'app://rigger/assets/a.js')).headers.get('content-type'),
    ).toContain('javascript');
    expect((await appResponse(dir, 'app://rigger/../rigger-secret.txt')).status).toBe(404);
    expect((await appResponse(dir, 'app://rigger/%2e%2e/rigger-secret.txt')).status).toBe(404);
    expect((await appResponse(dir, 'app://other/index.html')).status).toBe(404);
  });
});

describe('the safeStorage secret store (fake electron)', () => {
  it('round-trips, never stores plain text, and refuses when the keychain is unavailable', () => {
    const store = safeStorageSecretStore(fakeSafeStorage);
    const sealed = store.seal('hunter2');
    expect(sealed).not.toContain('hunter2');
    expect(store.open(sealed)).toBe('hunter2');
    fakeSafeStorage.available = false;
    expect(() => store.seal('x')).toThrow(expect.objectContaining({ code: 'SECRET_UNAVAILABLE' }));
    fakeSafeStorage.available = true;
  });
});

void fakeProtocol;
