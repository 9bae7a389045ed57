import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { placesSettingsFile } from '../../../src/main/core/compose/backup-places';
import { createCore } from '../../../src/main/core/core';
import { memorySecretStore } from '../../../src/main/core/secrets';
import { startS3, type S3Server } from '../../helpers/s3';

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3(['backups']);
});
afterAll(async () => {
  await s3?.stop();
});

it('keeps S3 credentials sealed by the secret store and uses them; without a keychain it refuses', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigger-places-keys-'));
  const core = createCore({ dataDir, mode: 'test', secrets: memorySecretStore() });
  try {
    const kept = await core.call('backupPlaces.storageCredentials', {
      credentials_ref: 'vault',
      access_key_id: s3.accessKeyId,
      secret_access_key: s3.secretAccessKey,
    });
    expect(kept).toEqual({ status: 'updated', credentials_ref: 'vault', kept: 'memory' });
    await core.call('backupPlaces.storageUpdate', {
      storage_locations: {
        aws: {
          enabled: true,
          bucket: 'backups',
          region: 'us-east-1',
          endpoint: s3.endpoint,
          force_path_style: true,
          credentials_ref: 'vault',
        },
      },
    });
    const aws = (await core.call('backupPlaces.storage', {})).storage_locations.find(
      (l) => l.id === 'aws',
    );
    expect(aws?.health).toBe('connected');
    expect(readFileSync(placesSettingsFile(dataDir), 'utf8')).not.toContain(s3.secretAccessKey);
  } finally {
    await core.close();
  }

  const cli = createCore({
    dataDir: mkdtempSync(join(tmpdir(), 'rigger-places-nokeys-')),
    mode: 'cli',
  });
  try {
    await expect(
      cli.call('backupPlaces.storageCredentials', { credentials_ref: 'vault', password: 'pw' }),
    ).rejects.toMatchObject({ code: 'SECRET_UNAVAILABLE' });
  } finally {
    await cli.close();
  }
});
