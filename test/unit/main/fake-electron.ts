/**
 * A FAKE `electron` module: Electron's binary cannot be downloaded on these machines, so the
 * shell is tested by importing it against this stand-in, which records what the shell asks of
 * Electron (window options, handlers) and lets a test fire the events Electron would.
 */
import { EventEmitter } from 'node:events';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  sent: Array<{ channel: string; payload: unknown }> = [];
  mainFrame = { url: 'app://rigger/index.html' };
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  destroyed = false;
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
  }
  isDestroyed() {
    return this.destroyed;
  }
  show() {}
}

const permission = {
  request: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
  check: null as null | (() => boolean),
};
export const fakeSession = {
  permission,
  defaultSession: {
    setPermissionRequestHandler: (h: typeof permission.request) => (permission.request = h),
    setPermissionCheckHandler: (h: typeof permission.check) => (permission.check = h),
  },
};

export const fakeIpcMain = {
  handlers: new Map<string, (...args: unknown[]) => unknown>(),
  handle(channel: string, fn: (...args: unknown[]) => unknown) {
    this.handlers.set(channel, fn);
  },
};

export const fakeSafeStorage = {
  available: true,
  isEncryptionAvailable() {
    return this.available;
  },
  encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
  decryptString: (b: Buffer) => Buffer.from(b.toString().replace(/^sealed:/, ''), 'hex').toString(),
};

export const fakeProtocol = {
  registerSchemesAsPrivileged: () => undefined,
  handle: () => undefined,
};
