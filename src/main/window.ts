import { BrowserWindow, type Session, type WebContents } from 'electron';
import { isAppUrl } from './protocol';

/** The light theme's page colour, so the window does not flash another colour before paint. */
export const LIGHT_BACKGROUND = '#ffffff';

/** Where a blocked request could go: the web, a socket, a local file. */
const NETWORK_URLS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file:///*'];

const hardened = new WeakSet<WebContents>();

/**
 * Deny everything a page might ask of the browser: navigation away, redirects, new windows,
 * webviews. Safe to call twice on the same contents (the main window and web-contents-created).
 */
export function hardenContents(contents: WebContents, origins: readonly string[]): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url, origins)) event.preventDefault();
  });
  // Covers sub-frames too, though the CSP already allows none.
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, origins)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url, origins)) event.preventDefault();
  });
  // At a crane there is no internet: no link opens anywhere, not even the system browser.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Is this request allowed to leave the renderer? Only to the dev server, when there is one. */
export function networkAllowed(url: string, origins: readonly string[]): boolean {
  try {
    const u = new URL(url);
    // Vite's hot reload talks over a WebSocket to the dev server's own host.
    const scheme = u.protocol === 'ws:' ? 'http:' : u.protocol === 'wss:' ? 'https:' : u.protocol;
    return isAppUrl(`${scheme}//${u.host}`, origins);
  } catch {
    return false;
  }
}

/**
 * Session-wide: no permission is ever granted (camera, notifications, WebSerial/WebUSB, …) and
 * no request goes to the network or a file, so nothing remote can be loaded even if a page tried.
 */
export function hardenSession(ses: Session, origins: readonly string[]): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onBeforeRequest({ urls: NETWORK_URLS }, (details, callback) => {
    const allowed = networkAllowed(details.url, origins);
    if (!allowed) console.warn(`blocked a request to ${details.url}`);
    callback({ cancel: !allowed });
  });
}

/** The main window with every setting of ARCHITECTURE.md's security section. */
export function createMainWindow(options: {
  preloadPath: string;
  origins: readonly string[];
}): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: LIGHT_BACKGROUND,
    title: 'Rigger',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  hardenContents(win.webContents, options.origins);
  win.once('ready-to-show', () => win.show());
  return win;
}
