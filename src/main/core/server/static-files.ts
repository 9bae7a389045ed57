import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { contentType } from 'mime-types';

/** The Content-Type of a file by its extension (mime-db's table, text with charset=utf-8). */
export function contentTypeOf(file: string): string {
  return contentType(extname(file)) || 'application/octet-stream';
}

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** The file under `root` a URL path names, or null if it escapes `root` or does not exist. */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, '.' + normalize('/' + (decoded === '/' ? '/index.html' : decoded)));
  if (file !== base && !file.startsWith(base + sep)) return null;
  if (!existsSync(file) || !statSync(file).isFile()) return null;
  return file;
}

/** Send a static file with the security headers every page gets. */
export function sendStatic(res: ServerResponse, file: string): void {
  const isHtml = extname(file) === '.html';
  res.writeHead(200, {
    'Content-Type': contentTypeOf(file),
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
  });
  createReadStream(file).pipe(res);
}

/** Where the built renderer is: out/renderer beside the built code or the source tree. */
export function defaultStaticDir(resourcesDir: string): string {
  return join(resourcesDir, '..', 'out', 'renderer');
}
