import type { BrowserWindow } from 'electron';
import { app, dialog, ipcMain } from 'electron';
import { join } from 'node:path';
import { toErrorData } from '../shared/errors';
import { createCore, type Core } from './core/core';
import { registerBridge } from './ipc';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './protocol';
import { safeStorageSecretStore } from './secret-store';
import { createMainWindow, hardenSession } from './window';

// The thin Electron shell: lifecycle, the hardened window, one IPC bridge onto the core.
if (app.isPackaged) process.env.RIGGER_RESOURCES ??= process.resourcesPath;
registerAppScheme();

let win: BrowserWindow | null = null;
let core: Core | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.whenReady().then(() => {
    try {
      core = createCore({
        dataDir: process.env.RIGGER_DATA_DIR ?? app.getPath('userData'),
        mode: 'electron',
        secrets: safeStorageSecretStore(),
        version: app.getVersion(),
      });
    } catch (err) {
      const e = toErrorData(err);
      dialog.showErrorBox(
        'Rigger cannot start',
        `${e.message}\n\n${e.suggested_actions.join('\n')}`,
      );
      app.exit(1);
      return;
    }
    hardenSession();
    serveAppProtocol(join(__dirname, '../renderer'));
    registerBridge(ipcMain, core, () => win);
    win = createMainWindow(join(__dirname, '../preload'));
    win.on('closed', () => (win = null));
    void win.loadURL(process.env.ELECTRON_RENDERER_URL ?? `${APP_ORIGIN}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (!core) return;
    const closing = core;
    core = null;
    event.preventDefault();
    void closing.close().finally(() => app.quit());
  });
}
