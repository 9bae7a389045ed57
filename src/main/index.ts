import { app, dialog, ipcMain, Notification, session, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { toErrorData } from '../shared/errors';
import { startAlertNotifier } from './alert-notifier';
import { createCore, type Core } from './core/core';
import { keychainPinVault } from './pin-keychain';
import { guardClose } from './close-guard';
import { dialogHandlers, registerBridge } from './ipc';
import { installMenu } from './menu';
import {
  APP_ENTRY,
  appOrigins,
  devServerUrl,
  registerAppScheme,
  serveAppProtocol,
} from './protocol';
import { safeStorageSecretStore } from './secret-store';
import { createMainWindow, hardenContents, hardenSession } from './window';

/** Say why Rigger cannot run, then leave with a failure code. */
function fatal(err: unknown): void {
  const e = toErrorData(err);
  if (e.code === 'INTERNAL') console.error('Rigger cannot start', err);
  const actions = e.suggested_actions.length ? `\n\n${e.suggested_actions.join('\n')}` : '';
  dialog.showErrorBox('Rigger cannot start', `${e.message}${actions}`);
  app.exit(1);
}

/** The thin Electron shell: lifecycle, the hardened window, one IPC bridge onto the core. */
export function startApp(): void {
  // Packaged, the profiles sit in resources/ beside app.asar (electron-builder extraResources).
  if (app.isPackaged) process.env.RIGGER_RESOURCES ??= process.resourcesPath;
  registerAppScheme();
  app.enableSandbox();

  // A second Rigger would open the same database and fight over the same gateways.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const devUrl = devServerUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
  const origins = appOrigins(devUrl);
  let win: BrowserWindow | null = null;
  let core: Core | null = null;
  let stopBridge: (() => void) | null = null;
  let stopNotifier: (() => void) | null = null;

  // Every web contents, not only the main window's, gets the navigation and window rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents, origins));

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });

  const start = () => {
    const dataDir = process.env.RIGGER_DATA_DIR || app.getPath('userData');
    core = createCore({
      dataDir,
      mode: 'electron',
      watchSerial: true,
      secrets: { ...safeStorageSecretStore(), pinVault: keychainPinVault(dataDir) },
      version: app.getVersion(),
      // Answers are checked against the contract in development, not in the packaged app.
      checkOutputs: !app.isPackaged,
    });
    hardenSession(session.defaultSession, origins);
    serveAppProtocol(join(__dirname, '../renderer'));
    installMenu({ mac: process.platform === 'darwin', packaged: app.isPackaged });
    stopBridge = registerBridge(ipcMain, core, () => win, origins, dialogHandlers(dialog));
    const settingsOf = core;
    stopNotifier = startAlertNotifier({
      events: core.events,
      enabled: async () =>
        (await settingsOf.call('settings.get', {})).telemetry.desktop_notifications,
      Notification,
      onClick: () => {
        if (!win || win.isDestroyed()) return;
        if (win.isMinimized()) win.restore();
        win.focus();
      },
    });
    win = createMainWindow({ preloadPath: join(__dirname, '../preload/index.js'), origins });
    const jobsOf = core;
    guardClose(win, () => jobsOf.jobs.running(), dialog);
    win.on('closed', () => (win = null));
    win.loadURL(devUrl ?? APP_ENTRY).catch((err: unknown) => {
      console.error(`cannot load ${devUrl ?? APP_ENTRY}`, err);
    });
  };

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fatal(err));

  app.on('window-all-closed', () => app.quit());

  // Close the core (sessions, database) before the process goes; quit again once it has.
  app.on('will-quit', (event) => {
    if (!core) return;
    const closing = core;
    core = null;
    event.preventDefault();
    stopBridge?.();
    stopNotifier?.();
    closing
      .close()
      .catch((err: unknown) => console.error('closing the core failed', err))
      .finally(() => app.quit());
  });
}

startApp();
