import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = (await import('electron')) as unknown as FakeElectron;
const protocol = await import('../../../src/main/protocol');
const { appResponse, registerAppScheme, serveAppProtocol, devServerUrl, appOrigins, isAppUrl } =
  protocol;

// A built renderer, and a secret beside it that no app:// URL may reach.
const root = mkdtempSync(join(tmpdir(), 'rigger-proto-'));
const dir = join(root, 'renderer');
mkdirSync(join(dir, 'assets'), { recursive: true });
writeFileSync(join(dir, 'index.html'), '<html></html>');
writeFileSync(join(dir, 'assets', 'a.js'), 'x');
writeFileSync(join(root, 'secret.txt'), 'secret');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => appResponse(dir, { url, method });

describe('the app:// protocol (fake electron)', () => {
  it('registers app as a secure standard scheme, not CORS-readable', () => {
    registerAppScheme();
    expect(electron.protocol.privileged).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      },
    ]);
    const [{ privileges }] = electron.protocol.privileged as [{ privileges: object }];
    expect(privileges).not.toHaveProperty('corsEnabled');
    expect(privileges).not.toHaveProperty('bypassCSP');
  });

  it('serves the renderer with a strict CSP', async () => {
    serveAppProtocol(dir);
    const handle = electron.protocol.handlers.get('app')!;
    const page = await handle({ url: 'app://rigger/index.html', method: 'GET' });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('<html></html>');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|https?:|ws:|\*/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get('app://rigger/')).status).toBe(200);
    expect((await get('app://rigger/assets/a.js')).headers.get('content-type')).toContain(
      'javascript',
    );
  });

  it('refuses path traversal, other hosts and other methods', async () => {
    for (const url of [
      'app://rigger/../secret.txt',
      'app://rigger/%2e%2e/secret.txt',
      'app://rigger/assets/%2e%2e/%2e%2e/secret.txt',
      'app://rigger/..%2fsecret.txt',
      'app://rigger/..%5csecret.txt',
      'app://rigger/%00index.html',
      'app://rigger/%E0%A4%A',
      'app://rigger/assets',
      'app://rigger/missing.js',
      'app://other/index.html',
      'not a url',
    ]) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(await r.text(), url).not.toContain('secret');
    }
    expect((await get('app://rigger/index.html', 'POST')).status).toBe(405);
  });
});

describe("the app's origins", () => {
  it('honours the dev server only unpackaged, and only on this machine', () => {
    expect(devServerUrl('http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(devServerUrl('http://127.0.0.1:5173', false)).toBe('http://127.0.0.1:5173');
    expect(devServerUrl('http://localhost:5173/', true)).toBeUndefined();
    expect(devServerUrl('https://evil.example/', false)).toBeUndefined();
    expect(devServerUrl('file:///tmp/index.html', false)).toBeUndefined();
    expect(devServerUrl('nonsense', false)).toBeUndefined();
    expect(devServerUrl(undefined, false)).toBeUndefined();
  });

  it('matches whole origins, not prefixes', () => {
    const origins = appOrigins('http://localhost:5173/');
    expect(origins).toEqual(['app://rigger', 'http://localhost:5173']);
    expect(isAppUrl('app://rigger/index.html', origins)).toBe(true);
    expect(isAppUrl('app://rigger.evil/index.html', origins)).toBe(false);
    expect(isAppUrl('app://riggerx/', origins)).toBe(false);
    expect(isAppUrl('http://localhost:5173.evil.example/', origins)).toBe(false);
    expect(isAppUrl('http://user@localhost:5173/', origins)).toBe(true);
    expect(isAppUrl('', origins)).toBe(false);
  });
});
