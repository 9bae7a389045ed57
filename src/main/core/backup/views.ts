import { createHash } from 'node:crypto';
import { statfsSync } from 'node:fs';
import {
  BUILTIN_COMPONENTS,
  type BackupDetails,
  type BackupList,
  type BackupListItem,
  type BackupListQuery,
  type BackupStatus,
  type BackupType,
} from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import { contentOf, manifestBytes, type BackupManifest } from './manifest';
import type { BackupRepository, LoadedBackup } from './repository';

/** Sizes as the seed writes them: decimal units, "220 MB", "1.4 GB". */
export function sizeText(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${Math.round(n / 1e6)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} KB`;
  return `${n} B`;
}

const TYPE_DISPLAY: Record<BackupType, string> = {
  full: 'Full System',
  config: 'Configuration',
  'pre-ota': 'Pre-OTA',
};

/** Plaintext bytes a backup holds: its files, and the slot image when it was copied. */
export const backupSize = (m: BackupManifest) =>
  Object.values(m.components).reduce((n, c) => n + c.size, 0) +
  (m.system?.stored ? m.system.size : 0);

export const componentNames = (m: BackupManifest) => [
  ...(m.system ? ['system'] : []),
  ...Object.keys(m.components),
];

/** The SHA-256 of a backup's manifest: its checksum in lists. */
export const manifestChecksum = (m: BackupManifest) =>
  createHash('sha256').update(manifestBytes(m)).digest('hex');

function integrity(repo: BackupRepository, id: string): BackupListItem['integrity'] {
  const v = repo.lastVerification(id);
  return !v ? 'unverified' : v.verified ? 'verified' : 'failed';
}

/** One row of `backup/list`. */
export function listItem(repo: BackupRepository, loaded: LoadedBackup): BackupListItem {
  const m = loaded.manifest;
  const type = TYPE_DISPLAY[m.type];
  return {
    id: m.id,
    name: m.name,
    filename: `${m.id}.manifest`,
    type,
    created_at: m.created_at,
    size: backupSize(m),
    size_display: sizeText(backupSize(m)),
    checksum: manifestChecksum(m),
    location: 'local',
    encrypted: m.encryption.enabled,
    integrity: integrity(repo, m.id),
    description: `${type} • ${m.encryption.enabled ? 'Encrypted' : 'Not encrypted'} • Local`,
    components: componentNames(m),
  };
}

/** Free bytes on the disk that holds the store. */
export function availableBytes(repo: BackupRepository): number {
  const s = statfsSync(repo.root);
  return s.bavail * s.bsize;
}

/** `backup/list`: newest first, filtered as the seed's query says. */
export async function listBackups(repo: BackupRepository, q: BackupListQuery): Promise<BackupList> {
  const rows: BackupListItem[] = [];
  for (const id of repo.ids()) {
    let loaded: LoadedBackup;
    try {
      loaded = repo.load(id);
    } catch {
      continue; // Unreadable here (another key): not this site's to list.
    }
    const m = loaded.manifest;
    if (m.kind === 'snapshot') continue; // Listed by `backup/snapshots`.
    const day = m.created_at.slice(0, 10);
    if (q.type && m.type !== q.type) continue;
    if (q.gateway && m.gateway.name !== q.gateway) continue;
    if (q.date_from && day < q.date_from) continue;
    if (q.date_to && day > q.date_to) continue;
    rows.push(listItem(repo, loaded));
  }
  rows.sort((a, b) => b.created_at.localeCompare(a.created_at));
  return {
    backups: rows.slice(0, q.limit),
    total: rows.length,
    storage_used: sizeText(await repo.storedBytes()),
    storage_available: sizeText(availableBytes(repo)),
  };
}

/** `backup/details/{id}`. */
export function backupDetails(repo: BackupRepository, id: string): BackupDetails {
  if (!repo.has(id))
    throw new RiggerError('BACKUP_NOT_FOUND', `No backup ${id}`, { backup_id: id });
  const loaded = repo.load(id);
  const m = loaded.manifest;
  const item = listItem(repo, loaded);
  const objects = repo.objects(m.encryption.enabled);
  const stored =
    [...contentOf(m)].reduce((n, sha) => n + objects.storedSize(objects.name(sha)), 0) +
    loaded.manifest_bytes;
  const v = repo.lastVerification(id);
  const components: BackupDetails['components'] = {};
  for (const name of [...BUILTIN_COMPONENTS, ...Object.keys(m.components)]) {
    const c = m.components[name];
    const size = name === 'system' ? (m.system?.stored ? m.system.size : 0) : (c?.size ?? 0);
    components[name] = {
      included: name === 'system' ? m.system !== null : c !== undefined,
      size: sizeText(size),
    };
  }
  return {
    id: m.id,
    name: m.name,
    filename: item.filename,
    type: item.type,
    created_at: m.created_at,
    size: item.size,
    compressed_size: stored,
    compression_ratio: stored ? Math.round((item.size / stored) * 100) / 100 : 0,
    checksum: item.checksum,
    integrity: {
      verified: v?.verified ?? false,
      verification_time: v?.verification_time ?? null,
      signature_valid: loaded.signature_valid,
    },
    encryption: {
      enabled: m.encryption.enabled,
      algorithm: m.encryption.enabled ? 'AES-256' : 'none',
      key_id: m.encryption.key_id,
    },
    components,
    metadata: {
      created_by: m.created_by,
      gateway_id: m.gateway.gateway_id,
      version: m.gateway.version,
      description: m.description,
    },
    storage_locations: [
      { type: 'local', path: repo.file(id, 'manifest'), verified: v?.verified ?? false },
    ],
  };
}

/**
 * `backup/status`: the overview cards, computed from the store. The security score weighs what
 * makes a backup trustworthy: encrypted (40), signature valid (30), verified whole (30).
 */
export async function backupStatusView(
  repo: BackupRepository,
  now = new Date(),
): Promise<BackupStatus> {
  const loaded: LoadedBackup[] = [];
  for (const id of repo.ids()) {
    try {
      loaded.push(repo.load(id));
    } catch {
      // Not readable here.
    }
  }
  const n = loaded.length;
  const share = (f: (l: LoadedBackup) => boolean) => (n ? loaded.filter(f).length / n : 1);
  const verified = (l: LoadedBackup) => repo.lastVerification(l.manifest.id)?.verified === true;
  const failed = loaded.filter((l) => repo.lastVerification(l.manifest.id)?.verified === false);
  const last =
    loaded
      .map((l) => l.manifest.created_at)
      .sort()
      .pop() ?? null;
  const used = await repo.storedBytes();
  const free = availableBytes(repo);
  const alerts: BackupStatus['alerts'] = [];
  for (const l of failed)
    alerts.push({ level: 'error', message: `Backup ${l.manifest.name} failed its verification` });
  const unverified = loaded.filter((l) => !repo.lastVerification(l.manifest.id)).length;
  if (unverified)
    alerts.push({ level: 'info', message: `${unverified} backup(s) not verified yet` });
  if (!last) alerts.push({ level: 'warning', message: 'No backup yet' });
  else if (now.getTime() - Date.parse(last) > 7 * 86_400_000)
    alerts.push({ level: 'warning', message: 'No backup in the last 7 days' });
  if (free < (free + used) * 0.1)
    alerts.push({ level: 'warning', message: `Only ${sizeText(free)} free for backups` });
  const encrypted = share((l) => l.manifest.encryption.enabled);
  return {
    backup_system: failed.length
      ? 'error'
      : alerts.some((a) => a.level === 'warning')
        ? 'degraded'
        : 'healthy',
    security_score: Math.round(
      40 * encrypted + 30 * share((l) => l.signature_valid) + 30 * share(verified),
    ),
    last_successful_backup: last,
    total_backups: n,
    storage_used: sizeText(used),
    components: {
      scheduler: { status: 'disabled', next_run: null },
      local_storage: {
        status: free < (free + used) * 0.1 ? 'low_space' : 'healthy',
        used: `${Math.round((100 * used) / Math.max(1, used + free))}%`,
        available: sizeText(free),
      },
      cloud_storage: { status: 'not_configured', used: '0 B' },
      encryption: {
        status: repo.key ? 'enabled' : 'disabled',
        algorithm: 'AES-256',
      },
    },
    alerts,
  };
}
