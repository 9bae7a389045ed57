import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../../../src/main/core/core';

const mode = (p: string) => statSync(p).mode & 0o777;

describe("Rigger's data at rest", () => {
  it('is private: the data folder and its folders 0700, the database files 0600', async () => {
    const old = process.umask(0o022);
    try {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'rigger-priv-')), 'nested', 'data');
      const core = createCore({ dataDir, mode: 'test' });
      await core.call('settings.update', { rigger: { theme: 'dark' } });
      expect(mode(dataDir)).toBe(0o700);
      for (const f of ['rigger.db', 'rigger.db-wal', 'rigger.db-shm'])
        expect(mode(join(dataDir, f)), f).toBe(0o600);
      expect(mode(join(dataDir, 'snapshots'))).toBe(0o700);
      await core.close();
    } finally {
      process.umask(old);
    }
  });
});
