import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../src/main/core/core';
import { memorySecretStore } from '../../../../src/main/core/secrets';

const at = (auth: Record<string, unknown>) => ({
  type: 'ssh' as const,
  host: '10.0.0.5',
  port: 22,
  user: 'root',
  auth,
});

describe('gateway registry: a key passphrase and an accepted host key', () => {
  it('keeps a typed passphrase sealed, never as a password, and never shows it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rigger-reg-secrets-'));
    const core = createCore({ dataDir, mode: 'test', secrets: memorySecretStore() });
    try {
      const g = await core.call('gateways.add', {
        name: 'k',
        profile: 'univa-gw-pro',
        connection: at({ method: 'key', key_file: '/keys/id', passphrase: 'deck 7 secret' }),
      });
      expect(g.connection.auth).toEqual({ method: 'key', key_file: '/keys/id' });
      // The database and its write-ahead log hold only the sealed form.
      const db = readdirSync(dataDir).filter((f) => f.startsWith('rigger.db'));
      expect(db.length).toBeGreaterThan(0);
      for (const f of db)
        expect(readFileSync(join(dataDir, f)).includes('deck 7 secret'), f).toBe(false);
      // A switch to a password must be given one: the passphrase is not carried over.
      await expect(
        core.call('gateways.edit', {
          name: 'k',
          changes: { connection: at({ method: 'password' }) },
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      // A passphrase from the environment replaces the typed one.
      const env = await core.call('gateways.edit', {
        name: 'k',
        changes: {
          connection: at({ method: 'key', key_file: '/keys/id', passphrase_env: 'KEY_PW' }),
        },
      });
      expect(env.connection.auth).toEqual({
        method: 'key',
        key_file: '/keys/id',
        passphrase_env: 'KEY_PW',
      });
    } finally {
      await core.close();
    }
  });

  it('pins exactly the accepted key on add, and leaves a pinned key to gateways.pinHostKey', async () => {
    const core = createCore({
      dataDir: mkdtempSync(join(tmpdir(), 'rigger-reg-key-')),
      mode: 'test',
    });
    try {
      const key = { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:' + 'A'.repeat(43) };
      const g = await core.call('gateways.add', {
        name: 'p',
        profile: 'univa-gw-pro',
        connection: at({ method: 'key', key_file: '/keys/id' }),
        host_key: key,
      });
      expect(g.host_key).toMatchObject(key);
      const other = { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:' + 'B'.repeat(43) };
      const e = await core.call('gateways.edit', {
        name: 'p',
        changes: { profile: 'univa-gw-pro' },
        host_key: other,
      });
      expect(e.host_key).toMatchObject(key);
    } finally {
      await core.close();
    }
  });
});
