import type {
  BackupNotification,
  BackupRecord,
  StorageLocationConfig,
  StorageLocationView,
  StoragePolicies,
  StorageResponse,
  StorageUpdate,
} from '../../../../shared/backup-places';
import { storageLocationConfigSchema } from '../../../../shared/backup-places';
import { RiggerError } from '../../../../shared/errors';
import { formatBytes, parseSize } from '../size-text';
import { LocalLocation } from './local';
import type { HealthReport, StorageLocation } from './location';
import { S3Location } from './s3';
import type { SecretProvider } from './secrets';
import { SftpLocation } from './sftp';

export interface LocationDeps {
  secrets: SecretProvider;
  /** Rigger's own state folder (multipart journals). */
  stateDir: string;
}

/** The settings a location still lacks before it can be used (the seed's configuration_required). */
export function missingSettings(c: StorageLocationConfig): string[] {
  const need: (keyof StorageLocationConfig)[] =
    c.type === 'local'
      ? ['path']
      : c.type === 'remote'
        ? ['host', 'user', 'path', 'host_key_fingerprint', 'credentials_ref']
        : ['bucket', 'region'];
  return need.filter((k) => c[k] === undefined || c[k] === '');
}

/** A usable location for a config, or null while settings are missing. */
export function openLocation(c: StorageLocationConfig, deps: LocationDeps): StorageLocation | null {
  if (missingSettings(c).length) return null;
  switch (c.type) {
    case 'local':
      return new LocalLocation({
        id: c.id,
        root: c.path!,
        quota: c.quota ? parseSize(c.quota) : undefined,
        cleanupThreshold: c.cleanup_threshold,
      });
    case 'remote':
      return new SftpLocation({
        id: c.id,
        host: c.host!,
        port: c.port ?? 22,
        user: c.user!,
        root: c.path!,
        hostKeyFingerprint: c.host_key_fingerprint!,
        credentialsRef: c.credentials_ref!,
        secrets: deps.secrets,
      });
    case 'cloud':
      return new S3Location({
        id: c.id,
        bucket: c.bucket!,
        region: c.region!,
        endpoint: c.endpoint,
        forcePathStyle: c.force_path_style,
        prefix: c.path,
        credentialsRef: c.credentials_ref,
        secrets: deps.secrets,
        stateDir: deps.stateDir,
      });
  }
}

/** One location as the seed's "Get Storage Configuration" lists it. */
export function locationView(
  c: StorageLocationConfig,
  report: HealthReport | null,
  lastSync: string | null,
): StorageLocationView {
  const v: StorageLocationView = {
    id: c.id,
    type: c.type,
    name: c.name,
    enabled: c.enabled,
    health: 'offline',
  };
  if (c.default !== undefined) v.default = c.default;
  if (c.type === 'local') {
    v.path = c.path;
    if (c.quota) v.quota = formatBytes(parseSize(c.quota));
  }
  if (c.type === 'cloud')
    Object.assign(v, { provider: c.provider ?? 'S3', bucket: c.bucket, region: c.region });
  if (c.type !== 'local') v.last_sync = lastSync;
  if (missingSettings(c).length) v.configuration_required = true;
  if (report) {
    v.health = report.health;
    if (report.used !== undefined) v.used = formatBytes(report.used);
    if (report.available !== undefined) v.available = formatBytes(report.available);
    if (report.detail) v.health_detail = report.detail;
  }
  return v;
}

/** The seed's summary of what is stored. */
export function storageSummary(records: BackupRecord[]): StorageResponse['summary'] {
  const done = records.filter((r) => r.status === 'completed');
  return {
    total_backups: done.length,
    total_size: formatBytes(done.reduce((s, r) => s + r.size, 0)),
    largest_backup: formatBytes(Math.max(0, ...done.map((r) => r.size))),
    oldest_backup: done.map((r) => r.created_at).sort()[0] ?? null,
  };
}

/** A `storage_alert` when a location's use is at or past its cleanup threshold, else null. */
export function storageAlert(c: StorageLocationConfig, r: HealthReport): BackupNotification | null {
  if (r.utilization === undefined || r.total === undefined) return null;
  const threshold = c.cleanup_threshold ?? 80;
  if (r.utilization < threshold) return null;
  return {
    type: 'storage_alert',
    level: r.utilization >= 95 ? 'critical' : 'warning',
    storage: c.id,
    message: `Storage usage at ${r.utilization}%`,
    available: formatBytes(r.available ?? 0),
    used: formatBytes(r.total - (r.available ?? 0)),
    total: formatBytes(r.total),
  };
}

/**
 * The seed's "Update Storage Configuration" applied to the current settings: every changed
 * location re-validated whole; an unknown location or a bad value changes nothing.
 */
export function applyStorageUpdate(
  locations: StorageLocationConfig[],
  policies: StoragePolicies,
  update: StorageUpdate,
): { locations: StorageLocationConfig[]; policies: StoragePolicies } {
  const byId = new Map(locations.map((l) => [l.id, l]));
  const next = new Map(byId);
  for (const [id, patch] of Object.entries(update.storage_locations ?? {})) {
    const cur = byId.get(id);
    if (!cur) {
      throw new RiggerError('NOT_FOUND', `No storage location ${id}`, { storage: id }, [
        `Known locations: ${[...byId.keys()].join(', ')}`,
      ]);
    }
    const merged = storageLocationConfigSchema.safeParse({ ...cur, ...patch, id });
    if (!merged.success) {
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Storage location ${id}: ${merged.error.issues[0]?.message}`,
        {
          storage: id,
          issues: merged.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        },
      );
    }
    next.set(id, merged.data);
  }
  const newPolicies = { ...policies, ...update.policies };
  if (!next.has(newPolicies.default_location)) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The default location ${newPolicies.default_location} does not exist`,
      {
        default_location: newPolicies.default_location,
      },
    );
  }
  return { locations: [...next.values()], policies: newPolicies };
}
