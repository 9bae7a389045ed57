import type { AutoRestoreResult } from '../../../../shared/backup-places-api';
import { RiggerError } from '../../../../shared/errors';
import type { BackupService } from '../../backup/service';

/** What an import's `auto_restore` asks for, from its form fields. */
export interface AutoRestoreRequest {
  confirmation: boolean;
  /** The seed's `create_backup_before`: a backup of what the recovery replaces (default on). */
  createBackupBefore: boolean;
  pin?: string;
  by?: string;
}

const notStarted = (
  gateway: string | null,
  reason: string,
  extra: Partial<AutoRestoreResult> = {},
): AutoRestoreResult => ({ status: 'not_started', gateway, reason, ...extra });

/**
 * Disaster recovery of an imported backup onto its gateway, through the same path as
 * `recovery/initiate`: the preview is computed against the live gateway and returned, the
 * recovery needs `confirmation`, and the safety gates and PIN rules judge it there. Never throws:
 * whatever stops it is said in the answer, and the import stands.
 */
export async function autoRestore(
  recovery: Pick<BackupService, 'preview' | 'initiate'>,
  backupId: string,
  gatewayOf: () => string | null,
  req: AutoRestoreRequest,
): Promise<AutoRestoreResult> {
  const gateway = gatewayOf();
  if (!gateway)
    return notStarted(null, 'The gateway this backup was made of is not one Rigger knows here');
  let preview;
  try {
    preview = await recovery.preview({ backup_id: backupId, recovery_type: 'full', gateway });
  } catch (err) {
    return notStarted(gateway, `No recovery preview: ${(err as Error).message}`, {
      code: err instanceof RiggerError ? err.code : 'INTERNAL',
    });
  }
  if (!req.confirmation)
    return notStarted(
      gateway,
      'A recovery replaces data on the gateway: send confirmation: true with auto_restore',
      { preview },
    );
  try {
    const started = await recovery.initiate(
      {
        backup_id: backupId,
        recovery_type: 'full',
        create_pre_recovery_snapshot: req.createBackupBefore,
        module_filter: null,
        reason: `auto_restore of imported backup ${backupId}`,
        confirmation: true,
        ...(req.pin ? { pin: req.pin } : {}),
      },
      req.by,
    );
    return {
      status: 'recovery_started',
      gateway,
      preview,
      recovery_id: started.recovery_id,
      job_id: started.recovery_id,
      pre_recovery_snapshot_id:
        started.pre_recovery_snapshot_id === null ? null : String(started.pre_recovery_snapshot_id),
      progress_url: started.progress_url,
    };
  } catch (err) {
    return notStarted(gateway, (err as Error).message, {
      preview,
      code: err instanceof RiggerError ? err.code : 'INTERNAL',
    });
  }
}
