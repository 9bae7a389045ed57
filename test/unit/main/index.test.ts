import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createFakeElectron,
  FakeWebContents,
  preventable,
  type FakeElectron,
} from './fake-electron';

const ENV = ['RIGGER_DATA_DIR', 'ELECTRON_RENDERER_URL', 'RIGGER_RESOURCES'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let root: string;
let electron: FakeElectron;

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Start the shell afresh against a fresh fake electron, as `electron .` would. */
async function launch(setup: (e: FakeElectron) => void = () => {}): Promise<FakeElectron> {
  await importShell();
  setup(electron);
  await import('../../../src/main/index');
  electron.app.markReady();
  await flush();
  return electron;
}

/** A fresh module registry with a fresh fake electron in it (vi.resetModules keeps mocks). */
async function importShell(): Promise<void> {
  vi.resetModules();
  const fake = createFakeElectron();
  vi.doMock('electron', () => fake);
  electron = fake;
}

/** Quit as Electron would, letting the shell close the core first. */
async function quit(): Promise<ReturnType<typeof preventable>> {
  const event = preventable();
  electron.app.emit('will-quit', event);
  await vi.waitFor(() => expect(electron.app.calls).toContain('quit'));
  return event;
}

const callFromWindow = async (op: string, input: unknown = {}) => {
  const [win] = electron.BrowserWindow.created;
  const handler = electron.ipcMain.handlers.get('rigger:call')!;
  return handler({ sender: win!.webContents, senderFrame: win!.webContents.mainFrame }, op, input);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rigger-main-'));
  process.env.RIGGER_DATA_DIR = join(root, 'data');
  delete process.env.ELECTRON_RENDERER_URL;
  delete process.env.RIGGER_RESOURCES;
});
afterEach(async () => {
  if (electron && !electron.app.calls.includes('quit')) await quit();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  rmSync(root, { recursive: true, force: true });
});

describe('the main process lifecycle (fake electron, real core)', () => {
  it('registers the app scheme and the sandbox before ready', async () => {
    await importShell();
    await import('../../../src/main/index');
    expect(electron.protocol.privileged).toHaveLength(1);
    expect(electron.app.sandboxed).toBe(true);
    expect(electron.BrowserWindow.created).toHaveLength(0);
    electron.app.markReady();
    await flush();
    expect(electron.BrowserWindow.created).toHaveLength(1);
    // The first test loads the whole core from source: on a busy machine that alone nears 5 s.
  }, 30_000);

  it('starts the core in electron mode and wires window, protocol, session, menu and bridge', async () => {
    await launch();
    const [win] = electron.BrowserWindow.created;
    expect(win!.loaded).toEqual(['app://rigger/index.html']);
    expect(win!.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      preload: expect.stringMatching(/[/\\]preload[/\\]index\.js$/),
    });
    expect(electron.protocol.handlers.has('app')).toBe(true);
    expect(electron.session.defaultSession.permissionCheck?.()).toBe(false);
    expect(electron.Menu.installed).not.toBeNull();
    expect(await callFromWindow('app.info')).toMatchObject({
      ok: true,
      value: {
        mode: 'electron',
        data_dir: join(root, 'data'),
        version: '9.9.9-test',
        secrets: 'safe-storage',
      },
    });
  });

  it("uses Electron's userData folder when RIGGER_DATA_DIR is not set", async () => {
    delete process.env.RIGGER_DATA_DIR;
    await launch((e) => (e.app.paths.userData = join(root, 'userData')));
    expect(await callFromWindow('app.info')).toMatchObject({
      value: { data_dir: join(root, 'userData') },
    });
  });

  it('quits at once when another Rigger already runs, and focuses that one', async () => {
    await launch((e) => (e.app.gotLock = false));
    expect(electron.app.calls).toEqual(['quit']);
    expect(electron.BrowserWindow.created).toHaveLength(0);
    expect(electron.ipcMain.handlers.size).toBe(0);

    await launch();
    const [win] = electron.BrowserWindow.created;
    win!.minimized = true;
    electron.app.emit('second-instance');
    expect(win!.minimized).toBe(false);
    expect(win!.focused).toBe(true);
  });

  it('shows the error and exits non-zero when the core cannot start', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    process.env.RIGGER_DATA_DIR = join(file, 'data'); // a folder inside a file: never writable
    await launch();
    expect(electron.dialog.errors).toHaveLength(1);
    expect(electron.dialog.errors[0]!.title).toBe('Rigger cannot start');
    expect(electron.dialog.errors[0]!.content).toContain('cannot write its data directory');
    expect(electron.app.exitCode).toBe(1);
    expect(electron.BrowserWindow.created).toHaveLength(0);
    electron.app.calls.push('quit'); // nothing to close
  });

  it('loads the dev server in development, never in a packaged app', async () => {
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    await launch();
    expect(electron.BrowserWindow.created[0]!.loaded).toEqual(['http://localhost:5173/']);
    await quit();

    const resourcesPath = Object.getOwnPropertyDescriptor(process, 'resourcesPath');
    Object.defineProperty(process, 'resourcesPath', {
      value: join(process.cwd(), 'resources'),
      configurable: true,
    });
    try {
      await launch((e) => (e.app.isPackaged = true));
      expect(electron.BrowserWindow.created[0]!.loaded).toEqual(['app://rigger/index.html']);
      expect(process.env.RIGGER_RESOURCES).toBe(join(process.cwd(), 'resources'));
      // The dev server is not one of the app's origins either: its pages may not call.
      const handler = electron.ipcMain.handlers.get('rigger:call')!;
      const win = electron.BrowserWindow.created[0]!;
      win.webContents.mainFrame.url = 'http://localhost:5173/';
      expect(
        await handler(
          { sender: win.webContents, senderFrame: win.webContents.mainFrame },
          'app.info',
          {},
        ),
      ).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    } finally {
      if (resourcesPath) Object.defineProperty(process, 'resourcesPath', resourcesPath);
      else delete (process as { resourcesPath?: string }).resourcesPath;
    }
  });

  it('hardens every web contents the app creates, not only the main window', async () => {
    await launch();
    const stray = new FakeWebContents();
    electron.app.emit('web-contents-created', {}, stray);
    const event = preventable({ url: 'https://example.com/' });
    stray.emit('will-navigate', event);
    expect(event.prevented).toBe(true);
    expect(stray.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('quits when the window is closed', async () => {
    await launch();
    electron.app.emit('window-all-closed');
    expect(electron.app.calls).toContain('quit');
    electron.app.calls.length = 0;
  });

  it('closes the core before quitting, then quits for real', async () => {
    await launch();
    const wal = join(root, 'data', 'rigger.db-wal');
    expect(existsSync(wal)).toBe(true); // the database is open
    const first = await quit();
    expect(first.prevented).toBe(true);
    expect(existsSync(wal)).toBe(false); // closed: SQLite folds the WAL back in
    expect(electron.ipcMain.handlers.size).toBe(0);
    const second = preventable();
    electron.app.emit('will-quit', second);
    expect(second.prevented).toBe(false);
  });
});
