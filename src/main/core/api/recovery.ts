import type { RecoveryService } from '../recovery/service';
import type { AreaHandlers } from './handlers';

/** Recovery, snapshots and monitor status as API operations (seed "Recovery Operations"). */
export function recoveryHandlers(
  r: RecoveryService,
): AreaHandlers<
  | 'recovery.status'
  | 'recovery.rollback'
  | 'recovery.restore'
  | 'recovery.factory'
  | 'monitor.snapshot'
  | 'snapshots.list'
  | 'snapshots.remove'
  | 'monitor.status'
> {
  return {
    'recovery.status': async ({ gateway, checksum }) => r.status(gateway, checksum),
    'recovery.rollback': async (input) => r.rollback(input),
    'recovery.restore': async (input) => r.restore(input),
    'recovery.factory': async (input) => r.factory(input),
    'monitor.snapshot': async (input) => r.snapshot(input),
    'snapshots.list': async ({ gateway }) => r.list(gateway),
    'snapshots.remove': async ({ snapshot_id }) => r.remove(snapshot_id),
    'monitor.status': async ({ gateway }) => r.monitorStatus(gateway),
  };
}
