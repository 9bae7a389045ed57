import { RiggerError } from '../../../shared/errors';
import { noteEstimate } from '../jobs/estimate';
import type { RecoveryDeps } from './context';
import { startFactoryReset } from './factory-reset';
import { monitorStatus } from './monitor-status';
import { recoveryStatus } from './recovery-status';
import { startRollback } from './rollback';
import type { RecoveryService } from './types';

export type { RecoveryService } from './types';

/**
 * Recovery status, snapshots, restore, rollback, factory reset and monitor status;
 * `lastCatalog` says when the image catalog was last refreshed (the monitor status shows it).
 */
export function createRecoveryService(
  d: RecoveryDeps,
  lastCatalog: () => string | null,
): RecoveryService {
  return {
    status: (gateway, withChecksum) => recoveryStatus(d, gateway, withChecksum),
    async snapshot(req, by) {
      if (!d.settings.get().recovery.snapshot_enabled) {
        throw new RiggerError('VALIDATION_ERROR', 'Snapshots are turned off in Settings', {}, [
          'Turn on recovery.snapshot_enabled in Settings',
        ]);
      }
      // A snapshot is a backup now: one store, one writer, one restore.
      const { backup_id, job_id } = await d.backups().create(req, by);
      return {
        status: 'snapshot_started' as const,
        snapshot_id: backup_id,
        name: req.name,
        estimated_size: null,
        estimated_time: noteEstimate(d.engine.store, job_id, {
          gateway: req.gateway,
          type: 'snapshot',
        }),
        steps: [
          'Preparing filesystem',
          ...(req.include_slot ? ['Creating system image'] : []),
          'Backup user data',
          'Backup configurations',
          'Creating metadata',
          'Verifying backup integrity',
        ],
        job_id,
      };
    },

    list: async (gateway) => ({ snapshots: await d.backups().entries(gateway) }),

    async remove(id) {
      await d.backups().remove(id);
      d.audit.record({
        action: 'snapshot.removed',
        outcome: 'ok',
        details: { snapshot_id: id, backup_id: id },
      });
      return { removed: true as const };
    },

    restore: (req, by) => d.backups().restore(req, by),
    rollback: (req, by) => startRollback(d, req, by),
    factory: (req, by) => startFactoryReset(d, req, by),
    monitorStatus: (gateway) => monitorStatus(d, gateway, lastCatalog()),
  };
}
