import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { AutomaticRetention } from './automatic-retention';
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
import { KEY_FILE, PASSPHRASE_ENV, passphraseFromEnv } from './keys';
import { preOtaBackup } from './pre-ota';
import type { ConsoleFlashPort } from './console-recovery';
import { createSnapshotBackups, type SnapshotBackups } from './snapshot-compat';
import type { BackupRun } from './progress';
import type { BackupRepository } from './repository';
import { createRecoveryOps } from './recovery-ops';
import type { RestoreRun } from './restore-progress';
import { backupRoot, openBackupStore } from './store';
import { migrateSnapshots, type MigrationReport } from './snapshot-migration';
import type { SnapshotStore } from '../recovery/snapshot-store';

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
  /** The store, opened on first use (backup places share it rather than open their own). */
  store(needKey?: boolean): BackupRepository;
  /** A verified `pre-ota` backup as a step of an update job (install's `create_snapshot`). */
  preOta(gateway: string, ctx: JobContext, description: string): Promise<{ backup_id: string }>;
  /** The recovery seed's snapshots, which are backups (monitor/snapshot, recovery/restore). */
  readonly recoverySnapshots: SnapshotBackups;
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
  /** The snapshots of earlier Rigger versions, migrated into backups once the key is unlocked. */
  legacySnapshots?: SnapshotStore;
  /** A console flash of a gateway registered on its serial port (recovery when Linux is down). */
  consoleFlash?: ConsoleFlashPort;
  /** How many of its own backups Rigger keeps per gateway, and for how long (settings). */
  retention?: () => AutomaticRetention;
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
  /** What the snapshot migration left to say (snapshots waiting for the key, or kept). */
  migrationAlerts(): string[];
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
  // What could unlock the key when the store was last opened: the key file as it was on disk
  // (another Rigger process may make or extend it) and the passphrase in the environment.
  const keyFile = join(backupRoot(d.dataDir), KEY_FILE);
  const keyState = () => {
    const st = statSync(keyFile, { throwIfNoEntry: false });
    const stamp = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : 'none';
    return `${stamp}\0${passphraseFromEnv(d.env ?? process.env) ?? ''}`;
  };
  let openedWith: string | null = null;
  let migration: Promise<MigrationReport> | null = null;
  let report: MigrationReport | null = null;
  const ctx: BackupContext = {
    ...d,
    repo(needKey = false) {
      // Only a real keychain keeps the key: one sealed in memory would be lost at the next start.
      const secrets = d.secrets.kind === 'safe-storage' ? d.secrets : null;
      if (!repo || (!repo.key && needKey)) {
        openedWith = keyState();
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
    migrationAlerts() {
      const waiting = d.legacySnapshots?.list().length ?? 0;
      const kept = new Set(report?.failed.map((f) => f.id));
      return [
        ...(report?.failed.map(
          (f) => `Snapshot ${f.id} was kept as it is, not migrated: ${f.error}`,
        ) ?? []),
        ...(waiting > kept.size && !repo?.key
          ? [
              `${waiting - kept.size} snapshot(s) of an earlier Rigger wait for the backup key to become encrypted backups (set ${PASSPHRASE_ENV}, or open the desktop app)`,
            ]
          : []),
      ];
    },
  };
  /**
   * The snapshots of earlier versions become backups at the first use of the store with its
   * key (they are written encrypted, so they wait for it); once per process, before any answer.
   * While the key stays locked, the store is opened again (scrypt) only when what could unlock
   * it changed, not at every answer; an operation that needs the key still tries for itself.
   */
  const ready = async () => {
    const legacy = d.legacySnapshots;
    if (!legacy || report || !legacy.list().length) return;
    let r = ctx.repo();
    if (!r.key) {
      if (keyState() === openedWith) return;
      try {
        r = ctx.repo(true);
      } catch {
        return;
      }
    }
    migration ??= migrateSnapshots(r, legacy, (name) => {
      try {
        const gw = d.registry.get(name);
        return { gateway_id: gw.name, model: d.profiles.resolve(gw.profile).model };
      } catch {
        return null;
      }
    });
    report = await migration;
  };
  const ops: Omit<BackupService, 'preOta' | 'recoverySnapshots' | 'store'> = {
    ...createBackupOps(ctx),
    ...createRecoveryOps(ctx),
  };
  const wrapped = Object.fromEntries(
    Object.entries(ops).map(([k, f]) => [
      k,
      async (input: never, by?: string) => {
        await ready();
        return (f as (i: never, b?: string) => Promise<unknown>)(input, by);
      },
    ]),
  ) as unknown as Omit<BackupService, 'preOta' | 'recoverySnapshots' | 'store'>;
  const service: BackupService = {
    ...wrapped,
    store: ctx.repo,
    preOta: async (gateway, job, description) => {
      await ready();
      return preOtaBackup(ctx, gateway, job, description);
    },
    get recoverySnapshots() {
      return snapshots;
    },
  };
  const snapshots = createSnapshotBackups(ctx, service, ready);
  return service;
}
