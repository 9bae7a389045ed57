import type { ApiClient } from '../../../shared/api-client';
import { httpClient } from './http-client';
import { ipcClient } from './ipc-client';

const TOKEN_KEY = 'rigger.token';

/** Browser mode's token: from `?token=` once (then out of the address bar), else this tab's storage. */
export function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** IPC inside Electron, HTTP + WebSocket in a browser. */
export function pickClient(): ApiClient {
  if (window.rigger) return ipcClient(window.rigger);
  return httpClient(window.location.origin, takeToken());
}
