import type { RecoveryPreview } from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import { newBackupId, restoreBody, type BackupPlan } from './backup-jobs';
import { outcomeOf } from './backup-ops';
import { otherSlot } from '../bootloader/slots';
import { pickComponents } from './components';
import { gatewayFacts, offeredComponents, profileOf, whichGateway } from './gateway-facts';
import type { BackupManifest } from './manifest';
import { diffWithGateway, durationText, recoveryPreview } from './preview';
import type { BackupRun } from './progress';
import type { RestoreRun } from './restore-progress';
import { restoreProgressView } from './restore-progress';
import { recoverOverConsole } from './console-recovery';
import type { BackupContext, BackupService } from './service';

type Ops = Pick<
  BackupService,
  'preview' | 'initiate' | 'snapshotRestore' | 'restoreProgress' | 'cancel'
>;

/** What a recovery of this type restores: file components, and the system slot or not. */
function componentsFor(
  m: BackupManifest,
  type: RecoveryPreview['recovery_type'],
  filter: string[] | null | undefined,
): { files: string[]; system: boolean } {
  const all = Object.keys(m.components);
  let files = type === 'full' ? all : all.filter((n) => n === type);
  if (filter) files = files.filter((n) => filter.includes(n));
  const system =
    !!m.system && (type === 'full' || type === 'system') && (!filter || filter.includes('system'));
  if (!files.length && !system)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Backup ${m.id} holds nothing a ${type} recovery restores${filter ? ` among ${filter.join(', ')}` : ''}`,
      { recovery_type: type, components: [...(m.system ? ['system'] : []), ...all] },
      ['Recover "full" to restore every component of the backup'],
    );
  return { files, system };
}

/** Disaster recovery and snapshot restore: preview, initiate, progress and cancel. */
export function createRecoveryOps(c: BackupContext): Ops {
  /** The backup a recovery reads, and the gateway it goes to (its own unless named). */
  function target(backupId: string, given?: string) {
    const repo = c.repo();
    const { manifest } = repo.load(backupId);
    const gateway = given ? whichGateway(c, given) : c.registry.get(manifest.gateway.name).name;
    return { repo, manifest, gateway };
  }

  /** The pre-recovery backup: the same components, taken as they are now. */
  function beforePlan(gateway: string, components: string[], what: string): BackupPlan {
    const offered = offeredComponents(c, gateway);
    return {
      id: newBackupId(`pre_${what}`),
      name: `pre_${what}_${new Date().toISOString().slice(0, 10)}`,
      type: 'config',
      description: `Taken automatically before a ${what}`,
      created_by: 'rigger',
      encrypt: !!c.repo().key,
      components: pickComponents(
        offered,
        components.filter((n) => offered[n]),
      ),
      system: false,
      verify: true,
    };
  }

  /** Start a restore job of `components` of a backup onto `gateway`. */
  function startRestore(
    op: RestoreRun['operation'],
    backupId: string,
    manifest: BackupManifest,
    gateway: string,
    components: string[],
    system: boolean,
    before: BackupPlan | null,
    by: string | undefined,
    action: string,
  ) {
    const row = c.engine.create({
      gateway,
      type: 'restore',
      subtype: op === 'recovery' ? 'backup_recovery' : 'backup_snapshot_restore',
      started_by: by ?? 'local',
      params: {
        backup_id: backupId,
        components,
        system,
        pre_backup_id: before?.id ?? null,
        // The install phase proves the slot holds this many bytes of the image before switching.
        ...(system && manifest.system ? { size: manifest.system.size } : {}),
      },
    });
    const run: RestoreRun = {
      restore_id: row.id,
      operation: op,
      status: 'running',
      started_at: Date.now(),
      step: 'preparing',
      component: null,
      files_processed: 0,
      files_total: manifest.entries.filter(
        (e) => components.includes(e.component) && (e.type === 'file' || e.type === 'hardlink'),
      ).length,
      bytes_processed: 0,
      bytes_total: components.reduce((n, k) => n + (manifest.components[k]?.size ?? 0), 0),
      integrity_check: 'pending',
      restart_required: false,
    };
    c.restoreRuns.set(row.id, run);
    const backupRun = (jobId: string, id: string): BackupRun => {
      const r: BackupRun = {
        job_id: jobId,
        backup_id: id,
        status: 'running',
        started_at: Date.now(),
        last: null,
        estimate: 0,
        errors: 0,
        warnings: 0,
      };
      return r;
    };
    if (system && manifest.system) run.bytes_total += manifest.system.size;
    const plan = { backup_id: backupId, gateway, components, system, before, run, action };
    void c.engine
      .run(row.id, restoreBody({ ...c, emit: c.emit, backupRun }, c.repo(), plan))
      .then(() => {
        run.status = outcomeOf(c.engine.store.find(row.id));
        if (run.status === 'failed' && run.integrity_check === 'running')
          run.integrity_check = 'failed';
      });
    return { row, run, seconds: run.bytes_total / 1e6 };
  }

  return {
    async preview({ backup_id, recovery_type, gateway: given }) {
      const { repo, manifest, gateway } = target(backup_id, given);
      const { files, system } = componentsFor(manifest, recovery_type, null);
      const facts = await gatewayFacts(c, gateway);
      const booted = facts.system?.record?.sha256 ?? null;
      const diff = await diffWithGateway(facts.session, repo, backup_id, { components: files });
      // The system image goes into the slot not booted, then the gateway restarts on it.
      const rewrite = system && booted !== manifest.system?.image_sha256;
      const view = recoveryPreview(
        { id: manifest.id, name: manifest.name },
        recovery_type,
        { ...diff, system: null },
        {
          snapshotFirst: true,
          servicesCommands: !!profileOf(c, gateway).backup?.services_stop_command,
        },
      );
      if (rewrite) {
        const slot = facts.system ? otherSlot(facts.system.slot) : 'not booted';
        view.impact_analysis.components_affected.unshift('system');
        view.impact_analysis.restart_required = true;
        view.impact_analysis.post_recovery_actions.push('reboot');
        view.warnings.push(
          `The backup's system image (${manifest.system?.version ?? 'unknown version'}) will be written into slot ${slot} and the gateway will restart on it`,
        );
        view.recommendations = view.recommendations.filter((r) => !r.startsWith('Nothing'));
        if (view.impact_analysis.data_loss_risk === 'none')
          view.impact_analysis.data_loss_risk = 'low';
      }
      return view;
    },
    async initiate(input, by) {
      if (input.confirmation !== true)
        throw new RiggerError(
          'VALIDATION_ERROR',
          'A recovery replaces data on the gateway: it needs "confirmation": true',
          { confirmation: input.confirmation },
          ['Look at the recovery preview first, then confirm'],
        );
      const id = String(input.backup_id);
      const { manifest, gateway } = target(id);
      const { files: components, system } = componentsFor(
        manifest,
        input.recovery_type,
        input.module_filter,
      );
      if (input.pin) c.safety.verifyPin(input.pin, { gateway, action: 'recovery' });
      if (c.gateways.via(gateway) === 'serial')
        return recoverOverConsole(c, gateway, manifest, components, system);
      await c.safety.check(gateway, 'recovering from a backup');
      const before = input.create_pre_recovery_snapshot
        ? beforePlan(gateway, components, 'recovery')
        : null;
      const { row, seconds } = startRestore(
        'recovery',
        id,
        manifest,
        gateway,
        components,
        system,
        before,
        by,
        'recovering from a backup',
      );
      return {
        status: 'recovery_started' as const,
        recovery_id: row.id,
        backup_id: input.backup_id,
        estimated_duration: durationText(seconds),
        pre_recovery_snapshot_id: before?.id ?? null,
        warning: [
          ...(components.length
            ? [
                `The paths of ${components.join(', ')} on ${gateway} will be replaced by the backup's`,
              ]
            : []),
          ...(system ? ['System will restart after recovery if its image differs'] : []),
        ].join('; '),
        progress_url: `/cloud-integration/backup/recovery/progress/${row.id}`,
      };
    },
    async snapshotRestore(input, by) {
      const id = String(input.snapshot_id);
      const { manifest, gateway } = target(id);
      const components = input.components ?? Object.keys(manifest.components);
      const unknown = components.filter((n) => !manifest.components[n]);
      if (unknown.length)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `Snapshot ${id} holds no component ${unknown.join(', ')}`,
          { unknown, components: Object.keys(manifest.components) },
        );
      await c.safety.check(gateway, 'restoring a snapshot');
      const before = input.create_backup ? beforePlan(gateway, components, 'restore') : null;
      const { row, seconds } = startRestore(
        'snapshot_restore',
        id,
        manifest,
        gateway,
        components,
        false,
        before,
        by,
        'restoring a snapshot',
      );
      return {
        status: 'restore_started' as const,
        restore_id: row.id,
        estimated_duration: durationText(seconds),
        pre_restore_backup_id: before?.id ?? null,
        progress_url: `/cloud-integration/backup/restore/progress/${row.id}`,
      };
    },
    async restoreProgress({ restore_id }) {
      const run = c.restoreRuns.get(restore_id);
      if (!run) throw new RiggerError('OTA_013', `No restore ${restore_id}`, { restore_id });
      return restoreProgressView(run);
    },
    async cancel({ job_id }) {
      const restore = c.restoreRuns.get(job_id);
      const backup = c.backupRuns.get(job_id);
      if ((!restore && !backup) || !c.engine.isRunning(job_id))
        throw new RiggerError('OTA_013', `No running backup or restore ${job_id}`, { job_id }, [
          'It may have finished already: look at its progress',
        ]);
      await c.engine.abort(job_id);
      const row = c.engine.store.find(job_id);
      return {
        status: 'cancelled' as const,
        job_id,
        // A backup's writer removes what it added; a restore stops before the next path.
        partial_data_cleaned: true,
        can_restart: row?.status !== 'success',
      };
    },
  };
}
