import type { ApiClient, RiggerBridge } from '../../../shared/api-client';
import { createHttpClient } from './http-client';
import { createIpcClient } from './ipc-client';

export const TOKEN_KEY = 'rigger.token';

/** What reading the token needs of the window (a test hands in plain objects). */
export interface TokenPlace {
  location: { href: string };
  history: { replaceState(data: unknown, unused: string, url: string): void };
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, v: string): void };
}

/**
 * Browser mode's token: taken from `?token=` once (kept in this tab's sessionStorage and removed
 * from the address bar, so it is not bookmarked or shared), else from sessionStorage.
 */
export function takeToken(place: TokenPlace): string {
  const url = new URL(place.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    place.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    place.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return place.sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** IPC inside Electron (the preload put `window.rigger` there), HTTP + WebSocket in a browser. */
export function pickClient(win: Window & { rigger?: RiggerBridge } = window): ApiClient {
  if (win.rigger) return createIpcClient(win.rigger);
  return createHttpClient({ base: win.location.origin, token: takeToken(win) });
}
