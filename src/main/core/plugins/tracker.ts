import { randomUUID } from 'node:crypto';
import {
  OTA_COMPLETE_MESSAGE,
  type OtaProgress,
  type OtaStartResponse,
} from '../../../shared/plugins';
import { Terminal } from './terminal';

/** How long a finished operation stays answerable before it is `not_found`. */
export const KEEP_FINISHED_MS = 60 * 60 * 1000;

interface Entry {
  progress: OtaProgress;
  terminal: Terminal;
  finishedAt: number | null;
}

/** The seed's update ids and progress states (`pending` → `in_progress` → `complete`/`error`). */
export class UpdateTracker {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly onLine?: (t: Terminal) => void) {}

  /** A new operation, `pending` at 0 %, with its terminal. */
  start(message: string): { response: OtaStartResponse; terminal: Terminal } {
    this.expire();
    const id = randomUUID();
    const terminal = new Terminal(id);
    this.onLine?.(terminal);
    this.entries.set(id, {
      progress: { success: true, status: 'pending', progress: 0, message },
      terminal,
      finishedAt: null,
    });
    return {
      response: { success: true, update_id: id, message, status: 'pending', progress: 0 },
      terminal,
    };
  }

  /** A step of a running operation. */
  step(id: string, progress: number, message: string): void {
    const e = this.entries.get(id);
    if (!e || e.finishedAt) return;
    e.progress = { success: true, status: 'in_progress', progress, message };
    e.terminal.note(message);
  }

  complete(id: string, message = OTA_COMPLETE_MESSAGE): void {
    const e = this.entries.get(id);
    if (!e || e.finishedAt) return;
    e.progress = { success: true, status: 'complete', progress: 100, message };
    e.terminal.note(message);
    e.terminal.end();
    e.finishedAt = Date.now();
  }

  /** Failed: the last progress stays, `error` says why. */
  fail(id: string, error: string): void {
    const e = this.entries.get(id);
    if (!e || e.finishedAt) return;
    e.progress = {
      success: false,
      status: 'error',
      progress: e.progress.progress,
      message: e.progress.message,
      error,
    };
    e.terminal.note(`Error: ${error}`);
    e.terminal.end();
    e.finishedAt = Date.now();
  }

  /** What `GET /ota-update-progress/<update_id>` answers; unknown or expired: `not_found`. */
  progress(id: string): OtaProgress {
    this.expire();
    const e = this.entries.get(id);
    if (!e)
      return { success: false, status: 'not_found', progress: 0, message: 'Update not found' };
    return { ...e.progress };
  }

  terminal(id: string): Terminal | null {
    return this.entries.get(id)?.terminal ?? null;
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, e] of this.entries)
      if (e.finishedAt && now - e.finishedAt > KEEP_FINISHED_MS) this.entries.delete(id);
  }
}
