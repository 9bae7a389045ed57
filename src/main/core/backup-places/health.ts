import type { BackupHealthMessage, StorageLocationConfig } from '../../../shared/backup-places';
import { formatBytes } from './size-text';
import type { HealthReport } from './storage/location';

type Checked = { config: StorageLocationConfig; report: HealthReport; last_sync: string | null };

/** `storage_health` for /ws/backup/health: each enabled location by id, as the seed shows them. */
export function storageHealthMessage(checked: Checked[]): BackupHealthMessage {
  const msg: Record<string, unknown> = { type: 'storage_health' };
  for (const { config, report, last_sync } of checked) {
    if (!config.enabled) continue;
    const entry: Record<string, unknown> = { health: report.health };
    if (report.used !== undefined) entry.used = formatBytes(report.used);
    if (report.available !== undefined) entry.available = formatBytes(report.available);
    if (report.utilization !== undefined) entry.utilization = report.utilization;
    if (config.type !== 'local') entry.last_sync = last_sync;
    msg[config.id] = entry;
  }
  return msg as BackupHealthMessage;
}

/** `service_status`: whether schedules run here, and the defaults new backups get. */
export function serviceStatusMessage(s: {
  schedulerRunning: boolean;
  encryptionDefault: boolean;
  compression: string;
}): BackupHealthMessage {
  return {
    type: 'service_status',
    scheduler: s.schedulerRunning ? 'running' : 'stopped',
    encryption: s.encryptionDefault ? 'enabled' : 'disabled',
    compression: s.compression === 'none' ? 'disabled' : 'enabled',
  };
}

/** `connectivity_status`: each remote and cloud location reachable or not, and why not. */
export function connectivityMessage(checked: Checked[]): BackupHealthMessage {
  const locations: Record<string, { health: HealthReport['health']; detail?: string }> = {};
  for (const { config, report } of checked) {
    if (config.type === 'local' || !config.enabled) continue;
    locations[config.id] = report.detail
      ? { health: report.health, detail: report.detail }
      : { health: report.health };
  }
  return { type: 'connectivity_status', locations };
}
