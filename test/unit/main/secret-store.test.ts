import { describe, expect, it, vi } from 'vitest';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const { safeStorage } = (await import('electron')) as unknown as FakeElectron;
const { safeStorageSecretStore } = await import('../../../src/main/secret-store');

const unavailable = expect.objectContaining({ code: 'SECRET_UNAVAILABLE' });

describe('the safeStorage secret store (fake electron)', () => {
  it('uses Electron safeStorage by default', () => {
    const store = safeStorageSecretStore(undefined, 'linux');
    expect(store.kind).toBe('safe-storage');
    expect(store.open(store.seal('pw'))).toBe('pw');
  });

  it('round-trips through the keychain as base64, never plain text', () => {
    const store = safeStorageSecretStore(safeStorage, 'linux');
    const sealed = store.seal('hunter2 ünïcode');
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed, 'base64').toString()).not.toContain('hunter2');
    expect(store.open(sealed)).toBe('hunter2 ünïcode');
  });

  it('refuses to seal or open when encryption is unavailable', () => {
    const store = safeStorageSecretStore(safeStorage, 'linux');
    const sealed = store.seal('x');
    safeStorage.available = false;
    try {
      expect(() => store.seal('x')).toThrow(unavailable);
      expect(() => store.open(sealed)).toThrow(unavailable);
    } finally {
      safeStorage.available = true;
    }
  });

  it("refuses Linux's basic_text backend, which is plain text in all but name", () => {
    safeStorage.backend = 'basic_text';
    try {
      expect(() => safeStorageSecretStore(safeStorage, 'linux').seal('x')).toThrow(unavailable);
      // The backend question is Linux's only; elsewhere the keychain answers for itself.
      expect(
        safeStorageSecretStore(safeStorage, 'win32').open(
          safeStorageSecretStore(safeStorage, 'win32').seal('x'),
        ),
      ).toBe('x');
    } finally {
      safeStorage.backend = 'gnome_libsecret';
    }
  });

  it('turns a secret the keychain cannot open into SECRET_UNAVAILABLE', () => {
    const store = safeStorageSecretStore(safeStorage, 'linux');
    expect(() => store.open(Buffer.from('sealed elsewhere').toString('base64'))).toThrow(
      unavailable,
    );
  });
});
