/**
 * A FAKE `electron` module. Electron's binary cannot be downloaded on these machines, so the
 * shell and the preload are tested by importing them against this stand-in, which records what
 * they ask of Electron (window options, handlers, menus) and lets a test fire the events
 * Electron would. Use it as `vi.mock('electron', async () => (await import(...)).createFakeElectron())`
 * and get the instance the code under test sees with `await import('electron')`.
 */
import { EventEmitter } from 'node:events';
import { FakeNotification } from './fake-notification';

/** An event whose default can be prevented, as Electron hands to `will-*` listeners. */
export function preventable<T extends object>(fields: T = {} as T) {
  return {
    ...fields,
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

let nextId = 1;

export class FakeWebFrame {
  parent: FakeWebFrame | null = null;
  processId = 7;
  frameToken: string;
  constructor(public url: string) {
    this.frameToken = `token-${nextId++}`;
  }
  /** Another object for the same frame, as Electron may hand out. */
  twin(): FakeWebFrame {
    const t = new FakeWebFrame(this.url);
    Object.assign(t, {
      parent: this.parent,
      processId: this.processId,
      frameToken: this.frameToken,
    });
    return t;
  }
}

export class FakeWebContents extends EventEmitter {
  id = nextId++;
  destroyed = false;
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  sent: Array<{ channel: string; payload: unknown }> = [];
  mainFrame = new FakeWebFrame('app://rigger/index.html');
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.mainFrame.url;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  /** Each fake electron has its own list and app (see createFakeElectron). */
  static created: FakeBrowserWindow[] = [];
  static app: EventEmitter = new EventEmitter();
  webContents = new FakeWebContents();
  destroyed = false;
  minimized = false;
  focused = false;
  shown = false;
  loaded: string[] = [];
  constructor(public options: Record<string, unknown>) {
    super();
    const kind = this.constructor as typeof FakeBrowserWindow;
    kind.created.push(this);
    kind.app.emit('web-contents-created', {}, this.webContents);
  }
  isDestroyed() {
    return this.destroyed;
  }
  show() {
    this.shown = true;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  focus() {
    this.focused = true;
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
}

/** Everything one import of `electron` would be, fresh for each call. */
export function createFakeElectron() {
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    gotLock: true,
    paths: { userData: '/nonexistent/userData' } as Record<string, string>,
    calls: [] as string[],
    exitCode: null as number | null,
    sandboxed: false,
    /** Let `whenReady` resolve, as Electron does once it has started. */
    markReady: () => markReady(),
    requestSingleInstanceLock() {
      return this.gotLock;
    },
    whenReady: () => ready,
    getPath(name: string) {
      return this.paths[name] ?? `/nonexistent/${name}`;
    },
    getVersion: () => '9.9.9-test',
    enableSandbox() {
      this.sandboxed = true;
    },
    quit() {
      this.calls.push('quit');
    },
    exit(code: number) {
      this.exitCode = code;
      this.calls.push(`exit ${code}`);
    },
  });

  const BrowserWindow: typeof FakeBrowserWindow = class extends FakeBrowserWindow {
    static override created: FakeBrowserWindow[] = [];
    static override app: EventEmitter = app;
  };

  type RequestHandler = (wc: unknown, permission: string, cb: (ok: boolean) => void) => void;
  type BeforeRequest = (
    details: { url: string },
    cb: (response: { cancel?: boolean }) => void,
  ) => void;
  const defaultSession = {
    permissionRequest: null as RequestHandler | null,
    permissionCheck: null as (() => boolean) | null,
    devicePermission: null as (() => boolean) | null,
    beforeRequest: null as { filter: { urls: string[] }; listener: BeforeRequest } | null,
    setPermissionRequestHandler(h: RequestHandler) {
      this.permissionRequest = h;
    },
    setPermissionCheckHandler(h: () => boolean) {
      this.permissionCheck = h;
    },
    setDevicePermissionHandler(h: () => boolean) {
      this.devicePermission = h;
    },
    webRequest: {
      onBeforeRequest(filter: { urls: string[] }, listener: BeforeRequest) {
        defaultSession.beforeRequest = { filter, listener };
      },
    },
  };

  const ipcMain = {
    handlers: new Map<string, (...args: unknown[]) => unknown>(),
    handle(channel: string, fn: (...args: unknown[]) => unknown) {
      if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      this.handlers.set(channel, fn);
    },
    removeHandler(channel: string) {
      this.handlers.delete(channel);
    },
  };

  const protocol = {
    privileged: [] as unknown[],
    handlers: new Map<string, (request: { url: string; method: string }) => Promise<Response>>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, fn: (request: { url: string; method: string }) => Promise<Response>) {
      this.handlers.set(scheme, fn);
    },
  };

  /** Not encryption: a reversible marker, enough to prove the store never keeps plain text. */
  const safeStorage = {
    available: true,
    backend: 'gnome_libsecret' as string,
    isEncryptionAvailable() {
      return this.available;
    },
    getSelectedStorageBackend() {
      return this.backend as 'basic_text';
    },
    encryptString: (s: string) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
    decryptString(b: Buffer) {
      const text = b.toString();
      if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext');
      return Buffer.from(text.slice('sealed:'.length), 'hex').toString();
    },
  };

  const dialog = {
    errors: [] as Array<{ title: string; content: string }>,
    boxes: [] as Array<Record<string, unknown>>,
    /** The buttons the "user" presses in the next message boxes, in order (0 when none left). */
    answers: [] as number[],
    showErrorBox(title: string, content: string) {
      this.errors.push({ title, content });
    },
    showMessageBoxSync(_win: unknown, options: Record<string, unknown>) {
      this.boxes.push(options);
      return this.answers.shift() ?? 0;
    },
    /** Open-file dialogs shown, and the files the "user" picks in the next ones (null: cancel). */
    openDialogs: [] as Array<{ win: unknown; options: Record<string, unknown> }>,
    picks: [] as Array<string | null>,
    async showOpenDialog(win: unknown, options: Record<string, unknown>) {
      this.openDialogs.push({ win, options });
      const pick = this.picks.shift() ?? null;
      return { canceled: pick === null, filePaths: pick === null ? [] : [pick] };
    },
  };

  const Menu = {
    installed: null as unknown,
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu(menu: unknown) {
      this.installed = menu;
    },
  };

  // The renderer side, for the preload.
  const contextBridge = {
    exposed: {} as Record<string, unknown>,
    exposeInMainWorld(key: string, api: unknown) {
      this.exposed[key] = api;
    },
  };
  type Listener = (event: unknown, payload: unknown) => void;
  const ipcRenderer = {
    invoked: [] as unknown[][],
    listeners: [] as Array<{ channel: string; listener: Listener }>,
    async invoke(...args: unknown[]) {
      this.invoked.push(args);
      return { ok: true, value: 'answer' };
    },
    on(channel: string, listener: Listener) {
      this.listeners.push({ channel, listener });
    },
    removeListener(channel: string, listener: Listener) {
      this.listeners = this.listeners.filter(
        (l) => !(l.channel === channel && l.listener === listener),
      );
    },
    /** Deliver a message as the main process would, with an IPC event object first. */
    emit(channel: string, payload: unknown) {
      const ipcEvent = { sender: this, senderId: 0, ports: [] };
      for (const l of this.listeners) if (l.channel === channel) l.listener(ipcEvent, payload);
    },
  };
  const webUtils = { getPathForFile: () => '/dropped/file.tar.gz' };

  return {
    app,
    BrowserWindow,
    session: { defaultSession },
    ipcMain,
    protocol,
    safeStorage,
    dialog,
    Menu,
    contextBridge,
    ipcRenderer,
    webUtils,
    Notification: FakeNotification,
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
