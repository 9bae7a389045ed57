import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { placesSettingsFile } from '../../../src/main/core/compose/backup-places';
import { createCore } from '../../../src/main/core/core';

it('a damaged settings file is kept aside and the defaults apply; the core still starts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigger-places-damaged-'));
  const file = placesSettingsFile(dataDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '{"locations": [ truncated');
  const core = createCore({ dataDir, mode: 'cli' });
  try {
    const storage = await core.call('backupPlaces.storage', {});
    expect(storage.storage_locations.map((l) => l.id)).toEqual(['local', 'aws', 'sftp']);
    const aside = readdirSync(dirname(file)).filter((f) => f.includes('.damaged-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dirname(file), aside[0]!), 'utf8')).toContain('truncated');
  } finally {
    await core.close();
  }
});
