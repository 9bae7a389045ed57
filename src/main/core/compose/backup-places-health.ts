import type { BackupHealthMessage, BackupNotification } from '../../../shared/backup-places';
import {
  connectivityMessage,
  serviceStatusMessage,
  storageHealthMessage,
} from '../backup-places/health';
import type { BackupPlaces } from '../backup-places/places-service';
import { formatBytes } from '../backup-places/size-text';
import type { HealthReport } from '../backup-places/storage/location';

/** Utilization at or above this is critical, whatever a location's cleanup threshold says. */
const CRITICAL_PERCENT = 95;

/**
 * Checks the storage locations and says so on `/ws/backup/health` (`storage_health`,
 * `service_status`, `connectivity_status`); a location that crosses its cleanup threshold
 * raises one `storage_alert` on `/ws/backup/notifications` until it falls below again.
 */
export function backupHealthChecker(d: {
  places: BackupPlaces;
  schedulerRunning(): boolean;
  emit(m: BackupHealthMessage | BackupNotification): void;
}) {
  const alerted = new Map<string, 'warning' | 'critical'>();
  return async function check(): Promise<BackupHealthMessage[]> {
    const configs = d.places.configs();
    const reports = await Promise.all(configs.map((c) => d.places.healthOf(c)));
    const checked = configs.flatMap((config, i) =>
      reports[i] ? [{ config, report: reports[i], last_sync: d.places.lastSyncOf(config.id) }] : [],
    );
    const policies = d.places.currentPolicies();
    const out = [
      storageHealthMessage(checked),
      serviceStatusMessage({
        schedulerRunning: d.schedulerRunning(),
        encryptionDefault: policies.encryption_default,
        compression: policies.compression_default,
      }),
      connectivityMessage(checked),
    ];
    for (const m of out) d.emit(m);
    for (const { config, report } of checked) alert(config.id, config.cleanup_threshold, report);
    return out;
  };

  function alert(id: string, threshold: number | undefined, r: HealthReport): void {
    const u = r.utilization;
    if (u === undefined || threshold === undefined || u < threshold) {
      alerted.delete(id);
      return;
    }
    const level = u >= CRITICAL_PERCENT ? 'critical' : 'warning';
    if (alerted.get(id) === level) return;
    alerted.set(id, level);
    d.emit({
      type: 'storage_alert',
      level,
      storage: id,
      message: `${id} is ${u}% full (cleanup threshold ${threshold}%)`,
      available: formatBytes(r.available ?? 0),
      used: formatBytes(r.used ?? 0),
      total: formatBytes(r.total ?? (r.used ?? 0) + (r.available ?? 0)),
    });
  }
}
