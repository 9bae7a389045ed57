import type { BackupType } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import type { JobContext } from '../jobs/engine';
import { newBackupId, runBackup, type BackupPlan } from './backup-jobs';
import { gatewayFacts, offeredComponents } from './gateway-facts';
import { pruneAutomatic } from './automatic-retention';
import type { BackupRun } from './progress';
import type { BackupContext } from './service';

/**
 * A `pre-ota` backup taken as a step of an update job, before it switches slots: every file
 * component of the profile, encrypted when the site key is unlocked, read back whole before the
 * update goes on. The booted slot is not copied: it stays in place as the slot the gateway falls
 * back to. Any failure stops the update with BACKUP_FAILED, before anything is switched.
 */
export async function preOtaBackup(
  c: BackupContext,
  gateway: string,
  ctx: JobContext,
  description: string,
): Promise<{ backup_id: string }> {
  try {
    return await backupInJob(c, gateway, ctx, {
      name: 'before-update',
      type: 'pre-ota',
      description,
    });
  } catch (err) {
    const e = err instanceof RiggerError ? err : null;
    throw new RiggerError(
      'BACKUP_FAILED',
      `The backup before the update failed, so the update stopped before switching slots: ${(err as Error).message}`,
      { ...(e?.details ?? {}), cause_code: e?.code ?? null, backup_id: null, switched: false },
      [
        'The gateway still boots its current slot; nothing was switched',
        ...(e?.suggestedActions ?? []),
        'Install again without create_snapshot only if a backup is not needed',
      ],
    );
  }
}

/** A verified backup of every file component as a step of a running job. */
export async function backupInJob(
  c: BackupContext,
  gateway: string,
  ctx: JobContext,
  what: { name: string; type: BackupType; description: string },
): Promise<{ backup_id: string }> {
  const id = newBackupId(what.type);
  const run: BackupRun = {
    job_id: ctx.id,
    backup_id: id,
    status: 'running',
    started_at: Date.now(),
    last: null,
    estimate: 0,
    errors: 0,
    warnings: 0,
  };
  c.backupRuns.set(`${ctx.id}:${id}`, run);
  try {
    const repo = c.repo();
    const plan: BackupPlan = {
      id,
      name: what.name,
      type: what.type,
      description: what.description,
      // Taken by Rigger as a step of another job (what the recovery seed calls automatic).
      created_by: 'rigger',
      encrypt: !!repo.key,
      components: offeredComponents(c, gateway),
      system: false,
      verify: true,
    };
    ctx.setStatus('installing', `${what.type.replace('-', '_')}_backup`);
    const facts = await ctx.step(`${what.type}_check_gateway`, () => gatewayFacts(c, gateway));
    await runBackup(ctx, repo, facts, plan, run, c.emit);
    run.status = 'completed';
    const retention = c.retention?.();
    if (retention)
      // Keeping too many is better than failing the job it serves: a failure is only journaled.
      await ctx
        .step('automatic_retention', () => pruneAutomatic(repo, gateway, id, retention))
        .catch(() => undefined);
    return { backup_id: id };
  } catch (err) {
    run.status = 'failed';
    throw err;
  } finally {
    c.backupRuns.delete(`${ctx.id}:${id}`);
  }
}
