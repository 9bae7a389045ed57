import type { ApiClient } from '../../../shared/api-client';

let current: ApiClient | null = null;

/** Set the one ApiClient the stores use (at start-up, or a test's fake). */
export function setClient(client: ApiClient): void {
  current = client;
}

/** The ApiClient; stores call this, components never do. */
export function api(): ApiClient {
  if (!current) throw new Error('ApiClient not set');
  return current;
}
