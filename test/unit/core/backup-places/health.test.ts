import { describe, expect, it } from 'vitest';
import {
  connectivityMessage,
  serviceStatusMessage,
  storageHealthMessage,
} from '../../../../src/main/core/backup-places/health';
import type { StorageLocationConfig } from '../../../../src/shared/backup-places';

const local: StorageLocationConfig = {
  id: 'local',
  type: 'local',
  name: 'Local',
  enabled: true,
  path: '/b',
};
const cloud: StorageLocationConfig = {
  id: 'aws',
  type: 'cloud',
  name: 'S3',
  enabled: true,
  bucket: 'b',
  region: 'r',
};
const off: StorageLocationConfig = { id: 'sftp', type: 'remote', name: 'SFTP', enabled: false };

describe('/ws/backup/health messages', () => {
  it("storage_health in the seed's shape, enabled locations only", () => {
    const msg = storageHealthMessage([
      {
        config: local,
        report: {
          health: 'good',
          used: 1.4 * 1024 ** 3,
          available: 8.6 * 1024 ** 3,
          utilization: 14,
        },
        last_sync: null,
      },
      { config: cloud, report: { health: 'connected' }, last_sync: '2025-03-15T14:45:00Z' },
      { config: off, report: { health: 'offline' }, last_sync: null },
    ]);
    expect(msg).toEqual({
      type: 'storage_health',
      local: { health: 'good', used: '1.4 GB', available: '8.6 GB', utilization: 14 },
      aws: { health: 'connected', last_sync: '2025-03-15T14:45:00Z' },
    });
  });

  it('service_status and connectivity_status', () => {
    expect(
      serviceStatusMessage({
        schedulerRunning: true,
        encryptionDefault: true,
        compression: 'gzip',
      }),
    ).toEqual({
      type: 'service_status',
      scheduler: 'running',
      encryption: 'enabled',
      compression: 'enabled',
    });
    expect(
      connectivityMessage([
        { config: local, report: { health: 'good' }, last_sync: null },
        {
          config: cloud,
          report: { health: 'offline', detail: 'no answer within 5 s' },
          last_sync: null,
        },
      ]),
    ).toEqual({
      type: 'connectivity_status',
      locations: { aws: { health: 'offline', detail: 'no answer within 5 s' } },
    });
  });
});
