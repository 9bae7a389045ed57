import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PASSPHRASE_ENV } from '../../../src/main/core/backup/keys';
import { backupRoot } from '../../../src/main/core/backup/store';
import { createCore } from '../../../src/main/core/core';

const before = process.env[PASSPHRASE_ENV];
beforeEach(() => {
  process.env[PASSPHRASE_ENV] = 'lazy store passphrase';
});
afterEach(() => {
  if (before === undefined) delete process.env[PASSPHRASE_ENV];
  else process.env[PASSPHRASE_ENV] = before;
});

for (const mode of ['cli', 'browser'] as const) {
  it(`a ${mode} core opens the backup store on the first backup operation, not at start`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), `rigger-lazy-store-${mode}-`));
    const core = createCore({ dataDir, mode });
    try {
      // Answers about schedules and locations need no store.
      await core.call('backupPlaces.schedules', {});
      expect(existsSync(backupRoot(dataDir))).toBe(false);
      const stats = await core.call('backupPlaces.statistics', {});
      expect(stats.summary.total_backups).toBe(0);
      expect(existsSync(join(backupRoot(dataDir), 'site-signing.pub'))).toBe(true);
      // The one store the backup service opened is the one places read: its key is unlocked.
      const status = await core.call('backup.status', {});
      expect(JSON.stringify(status)).not.toMatch(/locked/i);
    } finally {
      await core.close();
    }
  });
}
