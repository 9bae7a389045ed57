import type { BackupOperation, BackupService } from '../backup/service';
import type { AreaHandlers } from './handlers';

/** Backups, snapshots, disaster recovery and their progress (seeds/backup-recovery-api.rst). */
export function backupHandlers(b: BackupService): AreaHandlers<BackupOperation> {
  return {
    'backup.status': (input) => b.status(input),
    'backup.list': (input) => b.list(input),
    'backup.details': (input) => b.details(input),
    'backup.create': (input) => b.create(input),
    'backup.delete': (input) => b.remove(input),
    'backup.verify': (input) => b.verify(input),
    'backup.download': (input) => b.exportFile(input),
    'backup.snapshots': (input) => b.snapshots(input),
    'backup.snapshotCreate': (input) => b.snapshotCreate(input),
    'backup.snapshotRestore': (input) => b.snapshotRestore(input),
    'recovery.preview': (input) => b.preview(input),
    'recovery.initiate': (input) => b.initiate(input),
    'backup.progress': (input) => b.backupProgress(input),
    'restore.progress': (input) => b.restoreProgress(input),
    'operation.cancel': (input) => b.cancel(input),
  };
}
