import type { ApiClient } from '../../../shared/api-client';
import { toErrorData, type RiggerErrorData } from '../../../shared/errors';

let current: ApiClient | null = null;

/** Set the one ApiClient the stores use: at start-up, or a test's fake. */
export function setClient(client: ApiClient): void {
  current = client;
}

/** The ApiClient. Stores call this; components never do (they call store actions). */
export function api(): ApiClient {
  if (!current) throw new Error('ApiClient not set: call setClient() at start-up');
  return current;
}

/** Any rejection as seed error data, for display. */
export const asError = (err: unknown): RiggerErrorData => toErrorData(err);

/** Whether this window has the desktop app's native file dialog (browser mode has none). */
export const hasFileDialog = (): boolean => !!api().openFile;
