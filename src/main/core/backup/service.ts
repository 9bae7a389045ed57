import type { OperationOutput, OperationParsedInput as In } from '../../../shared/api';
import type { BackupUpdate } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import type { CoreEvents } from '../events';
import type { JobContext, JobEngine } from '../jobs/engine';
import type { JobFlowDeps } from '../ota/context';
import type { SafetyService } from '../safety/service';
import type { SecretStore } from '../secrets';
import { createBackupOps } from './backup-ops';
import type { GatewayDeps } from './gateway-facts';
import { PASSPHRASE_ENV } from './keys';
import { preOtaBackup } from './pre-ota';
import type { BackupRun } from './progress';
import type { BackupRepository } from './repository';
import { createRecoveryOps } from './recovery-ops';
import type { RestoreRun } from './restore-progress';
import { openBackupStore } from './store';

type Out<K extends BackupOperation> = (input: In<K>, by?: string) => Promise<OperationOutput<K>>;
export type BackupOperation =
  | 'backup.status'
  | 'backup.list'
  | 'backup.details'
  | 'backup.create'
  | 'backup.delete'
  | 'backup.verify'
  | 'backup.download'
  | 'backup.snapshots'
  | 'backup.snapshotCreate'
  | 'backup.snapshotRestore'
  | 'recovery.preview'
  | 'recovery.initiate'
  | 'backup.progress'
  | 'restore.progress'
  | 'operation.cancel';

/**
 * Backups of gateways on this laptop (seeds/backup-recovery-api.rst): one content-addressed,
 * encrypted store per site, long work as jobs on the job engine, progress on `/ws/backup/updates`.
 * The key is unlocked by the keychain (desktop) or RIGGER_BACKUP_PASSPHRASE (browser, CLI).
 */
export interface BackupService {
  status: Out<'backup.status'>;
  list: Out<'backup.list'>;
  details: Out<'backup.details'>;
  create: Out<'backup.create'>;
  remove: Out<'backup.delete'>;
  verify: Out<'backup.verify'>;
  exportFile: Out<'backup.download'>;
  snapshots: Out<'backup.snapshots'>;
  snapshotCreate: Out<'backup.snapshotCreate'>;
  snapshotRestore: Out<'backup.snapshotRestore'>;
  preview: Out<'recovery.preview'>;
  initiate: Out<'recovery.initiate'>;
  backupProgress: Out<'backup.progress'>;
  restoreProgress: Out<'restore.progress'>;
  cancel: Out<'operation.cancel'>;
  /** A verified `pre-ota` backup as a step of an update job (install's `create_snapshot`). */
  preOta(gateway: string, ctx: JobContext, description: string): Promise<{ backup_id: string }>;
}

export interface BackupServiceDeps extends GatewayDeps {
  dataDir: string;
  secrets: SecretStore;
  engine: JobEngine;
  events: CoreEvents;
  safety: SafetyService;
  /** The update flow's ports: the slot writer's bounds and the install phase (switch, reboot). */
  flow: JobFlowDeps;
  env?: NodeJS.ProcessEnv;
}

/** What the operations of the area share: the store, the runs in progress, the events. */
export interface BackupContext extends BackupServiceDeps {
  /** The store; with `needKey`, its key must be unlocked (a clear error says how otherwise). */
  repo(needKey?: boolean): BackupRepository;
  /** Why the key is locked when a passphrase was given and is wrong (null otherwise). */
  lockedBecause(): string | null;
  backupRuns: Map<string, BackupRun>;
  restoreRuns: Map<string, RestoreRun>;
  emit(m: BackupUpdate): void;
}

/** The error when an encrypted backup is asked for and no key can be unlocked. */
export function keyMissing(): RiggerError {
  return new RiggerError(
    'SECRET_UNAVAILABLE',
    `The backup key is not unlocked: here it can be kept neither in the OS keychain nor by a passphrase, because ${PASSPHRASE_ENV} is not set`,
    { env: PASSPHRASE_ENV },
    [
      `Set ${PASSPHRASE_ENV} to the site's backup passphrase and start Rigger again`,
      'Or use the desktop app, which keeps the key in the OS keychain',
      'Or make an unencrypted backup ("encrypt": false; rigger backup create GATEWAY --no-encrypt)',
    ],
  );
}

/** Build the backup service once; the store is opened on first use (scrypt runs once). */
export function createBackupService(d: BackupServiceDeps): BackupService {
  let repo: BackupRepository | null = null;
  let unlockError: RiggerError | null = null;
  const ctx: BackupContext = {
    ...d,
    repo(needKey = false) {
      // Only a real keychain keeps the key: one sealed in memory would be lost at the next start.
      const secrets = d.secrets.kind === 'safe-storage' ? d.secrets : null;
      if (!repo || (!repo.key && needKey)) {
        try {
          repo = openBackupStore(d.dataDir, { secrets, allowLocked: true, env: d.env });
          unlockError = null;
        } catch (err) {
          if (!(err instanceof RiggerError && err.code === 'ENCRYPTION_ERROR')) throw err;
          // A wrong passphrase: the store still opens locked, so the status can say so.
          unlockError = err;
          repo = openBackupStore(d.dataDir, { secrets: null, allowLocked: true, env: {} });
        }
      }
      if (needKey && !repo.key) throw unlockError ?? keyMissing();
      return repo;
    },
    lockedBecause: () => unlockError?.message ?? null,
    backupRuns: new Map(),
    restoreRuns: new Map(),
    emit: (m) => d.events.emit(m),
  };
  return {
    ...createBackupOps(ctx),
    ...createRecoveryOps(ctx),
    preOta: (gateway, job, description) => preOtaBackup(ctx, gateway, job, description),
  };
}
