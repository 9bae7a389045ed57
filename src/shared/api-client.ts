import type { OperationInput, OperationName, OperationOutput } from './api';
import type { OpenFileInput, OpenFileOutput } from './dialog';
import type { RiggerEvent, RiggerEventType } from './events';
import type { ImportResult } from './backup-places-api';
import type { LibraryImage } from './images';

/**
 * What the renderer talks to. Two implementations: over the preload bridge (Electron) and
 * over HTTP + WebSocket (browser mode). Errors reject with a RiggerError.
 */
export interface ApiClient {
  call<K extends OperationName>(op: K, input: OperationInput<K>): Promise<OperationOutput<K>>;
  on<T extends RiggerEventType>(
    type: T,
    handler: (event: Extract<RiggerEvent, { type: T }>) => void,
  ): () => void;
  /**
   * Listen for the moments events may have been missed (the event stream came back after a
   * drop): a store then reads again what it shows. Returns the unsubscribe function.
   */
  onResync(handler: () => void): () => void;
  /**
   * The desktop app's native open-file dialog (`dialog.openFile`): the chosen path, or null when
   * cancelled. Absent where there is none (a browser).
   */
  openFile?(input: OpenFileInput): Promise<OpenFileOutput>;
  /** The path of a file dropped on the window. Absent where it stays secret (a browser). */
  pathForFile?(file: unknown): string | null;
  /**
   * Import a file the browser holds (its file picker or a drop) as a streamed upload; `fields`
   * go before the file (`unsigned`, `version`). Absent where files are imported by path.
   */
  uploadImage?(file: unknown, fields?: Record<string, string>): Promise<LibraryImage>;
  /** Import a backup file the browser holds, streamed (`auto_restore`, `confirmation` as fields). */
  uploadBackup?(file: unknown, fields?: Record<string, string>): Promise<ImportResult>;
}

/** The object the preload exposes as `window.rigger`. */
export interface RiggerBridge {
  call(
    op: string,
    input: unknown,
  ): Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>;
  on(type: string, handler: (event: unknown) => void): () => void;
  /** The desktop app only: the path of a file dropped on the window (browsers keep it secret). */
  pathForFile?: (file: unknown) => string;
  /** The desktop app only: a native open-file dialog (`dialog.openFile`), answered as `call` is. */
  openFile?: (input: unknown) => ReturnType<RiggerBridge['call']>;
}
