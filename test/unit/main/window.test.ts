import { beforeEach, describe, expect, it, vi } from 'vitest';
import { preventable, type FakeElectron, type FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = (await import('electron')) as unknown as FakeElectron;
const { createMainWindow, hardenContents, hardenSession, networkAllowed } =
  await import('../../../src/main/window');
const { appOrigins } = await import('../../../src/main/protocol');

const origins = appOrigins();
const devOrigins = appOrigins('http://localhost:5173/');

describe('the main window (fake electron)', () => {
  let win: FakeBrowserWindow;
  beforeEach(() => {
    win = createMainWindow({ preloadPath: '/out/preload/index.js', origins }) as never;
  });

  it('is created with every security setting of ARCHITECTURE.md', () => {
    expect(win.options.webPreferences).toMatchObject({
      preload: '/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(win.options).toMatchObject({
      width: 1280,
      height: 800,
      minWidth: 1024,
      show: false,
      backgroundColor: '#ffffff',
    });
  });

  it('shows itself only once ready to show', () => {
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('denies navigation and redirects to another origin, allows its own', () => {
    const attempt = (name: string, url: string) => {
      const event = preventable({ url });
      win.webContents.emit(name, event);
      return event.prevented ? 'denied' : 'allowed';
    };
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(attempt(name, 'https://example.com/')).toBe('denied');
      expect(attempt(name, 'file:///etc/passwd')).toBe('denied');
      expect(attempt(name, 'app://evil/index.html')).toBe('denied');
      expect(attempt(name, 'http://localhost:5173/')).toBe('denied'); // no dev server here
      expect(attempt(name, 'not a url')).toBe('denied');
      expect(attempt(name, 'app://rigger/index.html#/gateways')).toBe('allowed');
    }
  });

  it('allows the dev server origin only when one is configured', () => {
    const dev = createMainWindow({
      preloadPath: '/p',
      origins: devOrigins,
    }) as never as FakeBrowserWindow;
    const event = preventable({ url: 'http://localhost:5173/#/images' });
    dev.webContents.emit('will-navigate', event);
    expect(event.prevented).toBe(false);
    const other = preventable({ url: 'http://localhost:5174/' });
    dev.webContents.emit('will-navigate', other);
    expect(other.prevented).toBe(true);
  });

  it('denies new windows and webviews', () => {
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({
      action: 'deny',
    });
    expect(win.webContents.windowOpenHandler?.({ url: 'app://rigger/index.html' })).toEqual({
      action: 'deny',
    });
    const attach = preventable();
    win.webContents.emit('will-attach-webview', attach);
    expect(attach.prevented).toBe(true);
  });

  it('hardens a web contents once, however often it is asked', () => {
    // createMainWindow and app 'web-contents-created' both harden the same contents.
    hardenContents(win.webContents as never, origins);
    expect(win.webContents.listenerCount('will-navigate')).toBe(1);
  });
});

describe('the session (fake electron)', () => {
  const ses = electron.session.defaultSession;
  hardenSession(ses as never, origins);

  it('denies every permission request and check, and every device', () => {
    for (const permission of [
      'media',
      'notifications',
      'serial',
      'clipboard-read',
      'openExternal',
    ]) {
      let granted: boolean | null = null;
      ses.permissionRequest?.({}, permission, (ok) => (granted = ok));
      expect(granted).toBe(false);
    }
    expect(ses.permissionCheck?.()).toBe(false);
    expect(ses.devicePermission?.()).toBe(false);
  });

  it('cancels every request to the network or a file', () => {
    const filter = ses.beforeRequest?.filter.urls ?? [];
    expect(filter).toEqual(
      expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'file:///*']),
    );
    const cancelled = (url: string) => {
      let answer: { cancel?: boolean } = {};
      ses.beforeRequest?.listener({ url }, (r) => (answer = r));
      return answer.cancel;
    };
    expect(cancelled('https://cdn.example.com/x.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
  });

  it('lets only the dev server through, HTTP and its hot-reload socket', () => {
    expect(networkAllowed('http://localhost:5173/src/main.tsx', devOrigins)).toBe(true);
    expect(networkAllowed('ws://localhost:5173/', devOrigins)).toBe(true);
    expect(networkAllowed('ws://localhost:5174/', devOrigins)).toBe(false);
    expect(networkAllowed('https://example.com/', devOrigins)).toBe(false);
    expect(networkAllowed('http://localhost:5173/', origins)).toBe(false);
  });
});
