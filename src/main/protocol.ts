import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { contentTypeOf, resolveStatic } from './core/server/static-files';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://rigger`;
/** The page the window opens when no dev server is running. */
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The Content-Security-Policy of every app:// page. Stricter than browser mode's: the desktop
 * renderer reaches the core through the preload only, so it needs no socket and no other host.
 * Styles keep 'unsafe-inline' because the terminal (xterm) writes its own <style> elements.
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** scheme://host[:port] of a URL. Node's URL says "null" as the origin of a custom scheme, so build it. */
export function originOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

/**
 * electron-vite's dev server URL, honoured only in an unpackaged app and only on this machine:
 * a packaged app must never be pointed at other content by an environment variable.
 */
export function devServerUrl(env: string | undefined, packaged: boolean): string | undefined {
  if (packaged || !env) return undefined;
  try {
    const u = new URL(env);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    return (u.protocol === 'http:' || u.protocol === 'https:') && loopback ? env : undefined;
  } catch {
    return undefined;
  }
}

/** The origins the renderer may live at: the app protocol, and the dev server if one is in use. */
export function appOrigins(devUrl?: string): readonly string[] {
  return devUrl ? [APP_ORIGIN, originOf(devUrl)] : [APP_ORIGIN];
}

/** Is this URL the app's own page (one of its origins)? */
export function isAppUrl(url: string, origins: readonly string[]): boolean {
  try {
    return origins.includes(originOf(url));
  } catch {
    return false;
  }
}

/** Must run before `app` is ready: the app scheme behaves like a secure standard origin. */
export function registerAppScheme(): void {
  // No corsEnabled: other origins must not be able to read app:// files.
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

const notFound = () => new Response('Not found', { status: 404 });

/** Answer one app:// request from the built renderer folder; anything outside it is refused. */
export async function appResponse(
  rendererDir: string,
  request: { url: string; method?: string },
): Promise<Response> {
  if (request.method && request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response('Method not allowed', { status: 405 });
  }
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return notFound();
  }
  if (`${url.protocol}//${url.host}` !== APP_ORIGIN) return notFound();
  const file = resolveStatic(rendererDir, url.pathname);
  if (!file) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound(); // gone between the check and the read
  }
  return new Response(body, {
    headers: {
      'Content-Type': contentTypeOf(file),
      'Content-Security-Policy': APP_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
    },
  });
}

/** Serve the renderer from app://rigger/ instead of file://. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(rendererDir, request));
}
