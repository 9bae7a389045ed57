import { createHash, randomBytes } from 'node:crypto';
import type { BackupManifest, ManifestEntry } from '../../../src/main/core/backup/manifest';
import { openBackupStore } from '../../../src/main/core/backup/store';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Write a real (plain) backup into the store of a data folder, the way the gateway reader
 * does: objects through the store's writer, then the signed manifest.
 */
export async function storeBackup(
  dataDir: string,
  id: string,
  o: { gateway?: string; created_at?: string; files?: Record<string, Buffer> } = {},
): Promise<void> {
  const repo = openBackupStore(dataDir, { allowLocked: true, env: {} });
  const files = o.files ?? { [`/data/${id}.bin`]: randomBytes(64 * 1024) };
  const w = repo.begin(id, false);
  const entries: ManifestEntry[] = [];
  let size = 0;
  for (const [path, content] of Object.entries(files)) {
    const h = sha(content);
    if (!w.known(h)) await w.put([content], { sha256: h, size: content.length });
    size += content.length;
    entries.push({
      component: 'data',
      path,
      type: 'file',
      mode: 0o640,
      uid: 0,
      gid: 0,
      mtime: 1_700_000_000,
      size: content.length,
      sha256: h,
    });
  }
  const m: BackupManifest = {
    format: 'rigger-backup',
    version: 1,
    id,
    name: id,
    type: 'full',
    description: '',
    created_at: o.created_at ?? new Date().toISOString(),
    created_by: 'test',
    gateway: {
      name: o.gateway ?? 'gw-1',
      gateway_id: 'GW-1',
      model: 'Univa-GW-Pro',
      version: '1.0',
      serial_number: null,
    },
    encryption: { enabled: false, algorithm: null, key_id: null, format_version: 1 },
    components: {
      data: { paths: ['/data'], files: entries.length, size, quiesced: false, missing: [] },
    },
    system: null,
    entries,
    signer: repo.site.fingerprint,
  };
  await w.commit(m);
}
