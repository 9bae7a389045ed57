import { randomBytes } from 'node:crypto';
import type { BackupType, BackupUpdate } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import type { JobBody, JobContext } from '../jobs/engine';
import type { JobFlowDeps } from '../ota/context';
import { installBody } from '../ota/install';
import type { SafetyService } from '../safety/service';
import type { ComponentSpec } from './components';
import { backupGateway, type GatewayBackupResult } from './gateway-backup';
import { gatewayFacts, type GatewayDeps, type GatewayFacts } from './gateway-facts';
import { backupUpdateMessage, type BackupRun } from './progress';
import type { BackupRepository } from './repository';
import { restoreToGateway } from './restore-gateway';
import { restoreUpdateMessage, type RestoreRun } from './restore-progress';
import { restoreSystemSlot, systemSource } from './system-restore';
import { verifyBackup } from './verify';

/** A new backup id: sortable by time, unique, and safe as a file name. */
export function newBackupId(prefix = 'backup'): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  return `${prefix}_${t}_${randomBytes(3).toString('hex')}`;
}

/** What one backup is to hold (decided before its job starts). */
export interface BackupPlan {
  id: string;
  name: string;
  type: BackupType;
  description: string;
  created_by: string;
  encrypt: boolean;
  components: Record<string, ComponentSpec>;
  /** Take the booted slot as the `system` component. */
  system: boolean;
  kind?: 'backup' | 'snapshot';
  tags?: string[];
  settings?: Buffer | null;
  verify: boolean;
}

/** At most one message per interval (and always the last one when asked). */
export function throttled(emit: (m: BackupUpdate) => void, ms = 200) {
  let last = 0;
  return (m: () => BackupUpdate, force = false) => {
    const now = Date.now();
    if (!force && now - last < ms) return;
    last = now;
    emit(m());
  };
}

/** Run one backup inside a job: read, store, and read back when asked; progress on `run`. */
export async function runBackup(
  ctx: JobContext,
  repo: BackupRepository,
  facts: GatewayFacts,
  plan: BackupPlan,
  run: BackupRun,
  emit: (m: BackupUpdate) => void,
): Promise<GatewayBackupResult> {
  const send = throttled(emit);
  const result = await ctx.step(
    `backup ${plan.id}`,
    () =>
      backupGateway(facts.session, repo, {
        ...plan,
        gateway: facts.identity,
        system: plan.system ? facts.system : null,
        signal: ctx.signal,
        onProgress: (p) => {
          run.last = p;
          ctx.progress(p.processed, Math.max(p.total, run.estimate, p.processed), 0);
          send(() => backupUpdateMessage(run));
        },
      }),
    { backup_id: plan.id },
  );
  if (plan.verify) {
    ctx.setStatus('verifying', 'verifying_integrity');
    const v = await ctx.step('verify_integrity', () => verifyBackup(repo, plan.id));
    if (!v.verified) {
      run.errors += v.errors.length;
      throw new RiggerError(
        'BACKUP_FAILED',
        `Backup ${plan.id} was written but does not read back whole: ${v.errors[0]}`,
        { backup_id: plan.id, errors: v.errors.slice(0, 20) },
        ['Check the laptop disk', 'Create the backup again'],
      );
    }
  }
  return result;
}

export interface RestorePlan {
  backup_id: string;
  gateway: string;
  components: string[];
  /** Write the backup's system image into the slot not booted, when the booted one differs. */
  system: boolean;
  /** A backup of the same components taken first (the pre-recovery / pre-restore backup). */
  before: BackupPlan | null;
  run: RestoreRun;
  action: string;
}

export interface RestoreDeps extends GatewayDeps {
  safety: SafetyService;
  emit: (m: BackupUpdate) => void;
  flow: JobFlowDeps;
  /** A run to follow the pre-restore backup on. */
  backupRun: (jobId: string, backupId: string) => BackupRun;
}

/**
 * Recovery and snapshot restore as one job: the safety check (rule 7), the backup taken first,
 * the whole backup read back, then each path staged, proven and swapped (wholly old or wholly
 * restored). A cancel takes effect before the next path starts.
 */
export function restoreBody(d: RestoreDeps, repo: BackupRepository, plan: RestorePlan): JobBody {
  return async (ctx) => {
    const run = plan.run;
    const send = throttled(d.emit);
    const stepTo = (step: string, component: string | null = run.component) => {
      run.step = step;
      run.component = component;
      send(() => restoreUpdateMessage(run), true);
    };
    ctx.setStatus('verifying', 'safety_check');
    stepTo('safety_check');
    await ctx.step('safety_check', () => d.safety.check(plan.gateway, plan.action));
    const facts = await ctx.step('check_gateway', () => gatewayFacts(d, plan.gateway));
    if (plan.before) {
      ctx.setStatus('downloading', 'pre_recovery_backup');
      stepTo('creating_pre_recovery_backup', null);
      const br = d.backupRun(ctx.id, plan.before.id);
      await runBackup(ctx, repo, facts, plan.before, br, d.emit);
      br.status = 'completed';
    }
    ctx.setStatus('verifying', 'verifying_backup');
    stepTo('verifying_backup', null);
    run.integrity_check = 'running';
    const v = await ctx.step('verify_backup', () => verifyBackup(repo, plan.backup_id));
    if (!v.verified) {
      run.integrity_check = 'failed';
      throw new RiggerError(
        'RESTORE_FAILED',
        `Backup ${plan.backup_id} is damaged: nothing was written to the gateway (${v.errors[0] ?? 'verification failed'})`,
        { errors: v.errors.slice(0, 20), restored: [], integrity: 'failed' },
        ['Restore from another backup', 'If the backup was copied, copy it again'],
      );
    }
    const { manifest } = repo.load(plan.backup_id);
    // Before any write, the system slot's included: another model's image never goes in.
    if (manifest.gateway.model !== facts.identity.model)
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Backup ${plan.backup_id} is of a ${manifest.gateway.model} gateway, not of this ${facts.identity.model}: nothing was written`,
        { backup_model: manifest.gateway.model, gateway_model: facts.identity.model },
        ['Choose a backup of this gateway model'],
      );
    let systemSlot: string | null = null;
    const sys = manifest.system;
    const booted = facts.status.boot?.consistent ? facts.status.boot.booted_slot : null;
    if (plan.system && sys && facts.system?.record?.sha256 !== sys.image_sha256) {
      if (!booted)
        throw new RiggerError(
          'OTA_008',
          `The booted slot of ${plan.gateway} is not known for sure: no system image is written`,
          {},
          [
            'Look at the gateway status',
            'Recover the file components only ("recovery_type": "data" or "config")',
          ],
        );
      ctx.setStatus('installing', 'writing_system_image');
      stepTo('restoring_system', 'system');
      const source = systemSource(repo, d.images, plan.backup_id, manifest.encryption.enabled, sys);
      systemSlot = await restoreSystemSlot(d, ctx, plan.gateway, source, booted, d.flow.timings);
    }
    const componentOf = new Map<string, string>();
    const filesOf = new Map<string, number>();
    for (const name of plan.components)
      for (const p of manifest.components[name]?.paths ?? []) {
        componentOf.set(p, name);
        filesOf.set(
          p,
          manifest.entries.filter(
            (e) =>
              e.component === name &&
              (e.type === 'file' || e.type === 'hardlink') &&
              e.path.startsWith(`${p}/`),
          ).length,
        );
      }
    let before = 0;
    ctx.setStatus('installing', 'restoring_data');
    const r = !plan.components.length
      ? { restored: [], files: 0, bytes: 0 }
      : await ctx.step('restore', () =>
          restoreToGateway(facts.session, repo, plan.backup_id, {
            components: plan.components,
            model: facts.identity.model,
            verifyFirst: false,
            keepCurrent: facts.profile.status_file,
            onProgress: (p) => {
              if (p.step === 'staging' && ctx.signal.aborted)
                throw new RiggerError('RESTORE_FAILED', 'The restore was cancelled', {
                  cancelled: true,
                });
              if (p.step === 'staging') before = run.bytes_processed;
              run.bytes_processed = before + p.bytes;
              if (p.step === 'swapping') run.files_processed += filesOf.get(p.path) ?? 0;
              ctx.progress(run.bytes_processed, run.bytes_total, 0);
              stepTo(`restoring_${componentOf.get(p.path) ?? 'data'}`, componentOf.get(p.path));
            },
          }),
        );
    if (systemSlot && sys && booted) {
      // Like an update's install phase: safety, try-boot, reboot, proven boot and health, commit.
      run.restart_required = true;
      stepTo('switching_to_system_slot', 'system');
      ctx.state({ target: systemSlot, booted, verified: true, sha256: sys.image_sha256 });
      await installBody(d.flow, plan.gateway, {
        reboot_delay: 0,
        verify_installation: true,
        create_snapshot: false,
      })(ctx);
    }
    run.integrity_check = 'passed';
    run.status = 'completed';
    send(() => restoreUpdateMessage(run), true);
    return {
      message: `Restored ${[...r.restored, ...(systemSlot ? [`the system image into slot ${systemSlot}, now booted`] : [])].join(', ') || 'nothing (nothing differed)'} on ${plan.gateway} from backup ${plan.backup_id}`,
      result: {
        backup_id: plan.backup_id,
        system_slot: systemSlot,
        restored: r.restored,
        files: r.files,
        bytes: r.bytes,
        pre_backup_id: plan.before?.id ?? null,
      },
    };
  };
}
