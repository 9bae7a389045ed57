import { BrowserWindow, session, type WebContents } from 'electron';
import { join } from 'node:path';
import { APP_ORIGIN } from './protocol';

/** The origin the renderer may live at: the app protocol, or electron-vite's dev server. */
export function allowedOrigins(devUrl = process.env.ELECTRON_RENDERER_URL): string[] {
  const origins = [APP_ORIGIN];
  if (devUrl) origins.push(originOf(devUrl));
  return origins;
}

/** scheme://host[:port] of a URL. Node's URL says "null" as the origin of a custom scheme, so build it. */
export function originOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/** Is this URL the app's own page (same origin as the app protocol or dev server)? */
export function isAppUrl(url: string, origins = allowedOrigins()): boolean {
  try {
    return origins.includes(originOf(url));
  } catch {
    return false;
  }
}

/** Deny everything a page might ask of the browser: navigation away, windows, permissions, webviews. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Session-wide: no permission is ever granted (camera, notifications, serial via the web, …). */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
}

/** The main window with every setting of ARCHITECTURE.md's security section. */
export function createMainWindow(preloadDir: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#ffffff',
    title: 'Rigger',
    autoHideMenuBar: false,
    webPreferences: {
      preload: join(preloadDir, 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  });
  hardenContents(win.webContents);
  win.once('ready-to-show', () => win.show());
  return win;
}
