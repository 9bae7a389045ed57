import { RiggerError } from '../../../shared/errors';
import { noteEstimate } from '../jobs/estimate';
import type { RecoveryDeps } from './context';
import { startFactoryReset } from './factory-reset';
import { monitorStatus } from './monitor-status';
import { recoveryStatus } from './recovery-status';
import { startRestore } from './restore-start';
import { startRollback } from './rollback';
import { newSnapshotId, snapshotBody } from './snapshot-job';
import { toEntry } from './snapshot-store';
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
    snapshot(req, by) {
      if (!d.settings.get().recovery.snapshot_enabled) {
        throw new RiggerError('VALIDATION_ERROR', 'Snapshots are turned off in Settings', {}, [
          'Turn on recovery.snapshot_enabled in Settings',
        ]);
      }
      const id = newSnapshotId();
      const row = d.engine.create({
        gateway: req.gateway,
        type: 'snapshot',
        subtype: 'snapshot',
        started_by: by ?? 'local',
        params: { snapshot_id: id, name: req.name },
      });
      void d.engine.run(row.id, snapshotBody(d, req.gateway, id, req));
      return {
        status: 'snapshot_started' as const,
        snapshot_id: id,
        name: req.name,
        estimated_size: null,
        estimated_time: noteEstimate(d.engine.store, row.id, {
          gateway: req.gateway,
          type: 'snapshot',
        }),
        steps: [
          'Preparing filesystem',
          ...(req.include_slot ? ['Creating system image'] : []),
          'Backup user data',
          'Backup configurations',
          'Creating metadata',
          'Compressing archive',
        ],
        job_id: row.id,
      };
    },

    list: (gateway) => ({ snapshots: d.snapshots.list(gateway).map(toEntry) }),

    remove(id) {
      const row = d.snapshots.find(id);
      if (!row) throw new RiggerError('NOT_FOUND', `No snapshot ${id}`, { snapshot_id: id });
      d.snapshots.remove(row);
      d.audit.record({
        action: 'snapshot.removed',
        outcome: 'ok',
        details: { snapshot_id: id, gateway: row.gateway },
      });
      return { removed: true as const };
    },

    restore: (req, by) => startRestore(d, req, by),
    rollback: (req, by) => startRollback(d, req, by),
    factory: (req, by) => startFactoryReset(d, req, by),
    monitorStatus: (gateway) => monitorStatus(d, gateway, lastCatalog()),
  };
}
