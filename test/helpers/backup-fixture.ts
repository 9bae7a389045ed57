import { createHash, randomBytes } from 'node:crypto';
import type { BackupManifest } from '../../src/main/core/backup/manifest';
import type { BackupRepository } from '../../src/main/core/backup/repository';

/** What a stored test backup says of itself; the rest is a fixed one-file config backup. */
export interface BackupFixture {
  id: string;
  type: BackupManifest['type'];
  created_at: string;
  created_by?: string;
  gateway?: string;
}

/** Store a small encrypted backup of one config file, signed by the store's site key. */
export async function storeBackup(repo: BackupRepository, f: BackupFixture): Promise<void> {
  const { id, type } = f;
  const content = randomBytes(5000);
  const sha = createHash('sha256').update(content).digest('hex');
  const w = repo.begin(id, true);
  await w.put([content], { sha256: sha, size: content.length });
  await w.commit({
    format: 'rigger-backup',
    version: 1,
    id,
    name: `${id}-name`,
    type,
    description: 'before maintenance',
    created_at: f.created_at,
    created_by: f.created_by ?? 'cli',
    gateway: {
      name: f.gateway ?? 'gw',
      gateway_id: 'GW-001',
      model: 'Univa-GW-Pro',
      version: 'v3.2.1',
      serial_number: null,
    },
    encryption: {
      enabled: true,
      algorithm: 'AES-256-GCM',
      key_id: repo.key!.id,
      format_version: 1,
    },
    components: { config: { paths: ['/etc'], files: 1, size: 5000, quiesced: false, missing: [] } },
    system: {
      slot: 'A',
      version: 'v3.2.1',
      size: 8_000_000,
      image_sha256: 'a'.repeat(64),
      stored: false,
    },
    entries: [
      {
        component: 'config',
        path: '/etc/x',
        type: 'file',
        mode: 0o644,
        uid: 0,
        gid: 0,
        mtime: 0,
        size: 5000,
        sha256: sha,
      },
    ],
    signer: repo.site.fingerprint,
  });
}
