import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BackupType } from '../../../shared/backup';
import { RiggerError, fromErrorData } from '../../../shared/errors';
import type { JobRow } from '../jobs/store';
import { newBackupId, runBackup, throttled, type BackupPlan } from './backup-jobs';
import { pickComponents, type ComponentSpec } from './components';
import { exportBackup } from './export';
import { gatewayFacts, offeredComponents, whichGateway } from './gateway-facts';
import { backupProgressView, backupUpdateMessage, type BackupRun } from './progress';
import { durationText } from './preview';
import type { BackupContext, BackupService } from './service';
import { listSnapshots } from './snapshots-view';
import { verifyBackup } from './verify';
import { backupDetails, backupStatusView, listBackups, sizeText } from './views';

/** The components a backup type takes when the request names none. */
function defaultComponents(type: BackupType, offered: Record<string, ComponentSpec>): string[] {
  const files = Object.keys(offered);
  if (type === 'config') return offered.config ? ['config'] : files;
  return ['system', ...files];
}

/** A job's end as the seed's operation status. */
export const outcomeOf = (row: JobRow | null): BackupRun['status'] =>
  !row
    ? 'failed'
    : row.status === 'success'
      ? 'completed'
      : row.status === 'failed' || row.status === 'cancelled'
        ? row.status
        : row.status === 'pending'
          ? 'queued'
          : 'running';

type Ops = Pick<
  BackupService,
  | 'status'
  | 'list'
  | 'details'
  | 'create'
  | 'remove'
  | 'verify'
  | 'exportFile'
  | 'snapshots'
  | 'snapshotCreate'
  | 'backupProgress'
>;

/** Create, list, inspect, verify, export and delete backups; configuration snapshots. */
export function createBackupOps(c: BackupContext): Ops {
  /** Start a backup job of `gateway`; resolves once the job is created (it runs on). */
  function start(gateway: string, plan: BackupPlan, by: string | undefined, estimate: number) {
    const row = c.engine.create({
      gateway,
      type: 'snapshot',
      subtype: plan.kind === 'snapshot' ? 'backup_snapshot' : 'backup_create',
      started_by: by ?? 'local',
      params: { backup_id: plan.id, name: plan.name, type: plan.type },
    });
    const run: BackupRun = {
      job_id: row.id,
      backup_id: plan.id,
      status: 'running',
      started_at: Date.now(),
      last: null,
      estimate,
      errors: 0,
      warnings: 0,
    };
    c.backupRuns.set(row.id, run);
    const repo = c.repo(plan.encrypt);
    const done = c.engine
      .run(row.id, async (ctx) => {
        ctx.setStatus('downloading', 'reading_gateway');
        const facts = await ctx.step('check_gateway', () => gatewayFacts(c, gateway));
        const r = await runBackup(ctx, repo, facts, plan, run, c.emit);
        if (
          r.manifest.components &&
          Object.values(r.manifest.components).some((x) => x.missing.length)
        )
          run.warnings++;
        return {
          message: `Backup ${plan.id} of ${gateway}: ${r.files} files, ${sizeText(r.bytes)} (${sizeText(r.added_bytes)} new)`,
          result: {
            backup_id: plan.id,
            files: r.files,
            bytes: r.bytes,
            added_bytes: r.added_bytes,
          },
        };
      })
      .then(() => {
        run.status = outcomeOf(c.engine.store.find(row.id));
        if (run.status === 'failed') run.errors++;
        throttled(c.emit)(() => backupUpdateMessage(run), true);
      });
    return { row, run, done };
  }

  /** The last backup of this gateway and type: what a new one will likely cost. */
  async function estimateOf(gateway: string, type: BackupType) {
    const repo = c.repo();
    const prev = (await listBackups(repo, { gateway, type, limit: 1 })).backups[0];
    if (!prev) return { bytes: 0, size: 'unknown', duration: 'unknown' };
    const m = repo.load(String(prev.id)).manifest;
    const seconds = Object.values(m.components).reduce((n, x) => n + (x.seconds ?? 0), 0);
    return { bytes: prev.size, size: prev.size_display, duration: durationText(seconds) };
  }

  return {
    async status() {
      const repo = c.repo();
      const view = await backupStatusView(repo);
      for (const message of c.migrationAlerts()) view.alerts.push({ level: 'warning', message });
      if (!repo.key)
        view.alerts.unshift({
          level: 'warning',
          message: `${c.lockedBecause() ?? 'The backup key is locked'}: encrypted backups cannot be made or read (set RIGGER_BACKUP_PASSPHRASE)`,
        });
      return view;
    },
    list: async (q) => listBackups(c.repo(), q),
    details: async ({ backup_id }) => backupDetails(c.repo(), backup_id),
    async create(input, by) {
      const gateway = whichGateway(c, input.gateway);
      const offered = offeredComponents(c, gateway);
      const wanted = input.components ?? defaultComponents(input.type, offered);
      const components = pickComponents(offered, wanted);
      c.repo(input.encrypt);
      const est = await estimateOf(gateway, input.type);
      const plan: BackupPlan = {
        id: newBackupId(),
        name: input.name,
        type: input.type,
        description: input.description,
        created_by: by ?? 'local',
        encrypt: input.encrypt,
        components,
        system: wanted.includes('system'),
        verify: input.verify_integrity,
      };
      const { row } = start(gateway, plan, by, est.bytes);
      return {
        status: 'started' as const,
        backup_id: plan.id,
        job_id: row.id,
        estimated_size: est.size,
        estimated_duration: est.duration,
        progress_url: `/cloud-integration/backup/progress/${row.id}`,
      };
    },
    async remove({ backup_id }) {
      const id = String(backup_id);
      const busy = [...c.backupRuns.values()].find(
        (r) => r.backup_id === id && r.status === 'running',
      );
      if (busy)
        throw new RiggerError('OTA_014', `Backup ${id} is still being written`, {
          job_id: busy.job_id,
        });
      const r = await c.repo().delete(id);
      return {
        status: 'deleted' as const,
        message: 'Backup deleted successfully',
        storage_freed: sizeText(r.freed_bytes),
      };
    },
    async verify({ backup_id }) {
      const v = await verifyBackup(c.repo(), backup_id);
      return { backup_id, ...v };
    },
    async exportFile({ backup_id }) {
      const repo = c.repo();
      const { filename, stream } = exportBackup(repo, backup_id);
      const dir = join(c.dataDir, 'exports');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, filename);
      const partial = `${path}.partial`;
      try {
        await pipeline(stream, createWriteStream(partial));
        renameSync(partial, path);
      } finally {
        rmSync(partial, { force: true });
      }
      return { backup_id, filename, path, size: statSync(path).size };
    },
    snapshots: async ({ gateway }) => listSnapshots(c.repo(), gateway),
    async snapshotCreate(input, by) {
      const gateway = whichGateway(c, input.gateway);
      const offered = offeredComponents(c, gateway);
      const wanted = [...input.components];
      if (input.include_data && offered.data && !wanted.includes('data')) wanted.push('data');
      const encrypt = !!c.repo().key;
      const gw = c.registry.get(gateway);
      const plan: BackupPlan = {
        id: newBackupId('snapshot'),
        name: input.name,
        type: 'config',
        description: input.description,
        created_by: by ?? 'local',
        encrypt,
        components: pickComponents(offered, wanted),
        system: wanted.includes('system'),
        kind: 'snapshot',
        tags: input.tags,
        settings: input.include_settings ? Buffer.from(JSON.stringify(gw)) : null,
        verify: true,
      };
      const { row, done } = start(gateway, plan, by, 0);
      await done;
      const end = c.engine.store.find(row.id);
      if (end?.status !== 'success')
        throw end?.error
          ? fromErrorData(end.error)
          : new RiggerError('BACKUP_FAILED', `Snapshot ${plan.id} did not finish`);
      const item = listSnapshots(c.repo(), gateway).snapshots.find((s) => s.id === plan.id);
      return {
        status: 'created' as const,
        snapshot_id: plan.id,
        name: plan.name,
        size: item?.size ?? '0 B',
        message: 'Snapshot created successfully',
      };
    },
    async backupProgress({ job_id }) {
      const run = c.backupRuns.get(job_id);
      if (run) return backupProgressView(run);
      const row = c.engine.store.find(job_id);
      if (!row || !String(row.subtype).startsWith('backup_'))
        throw new RiggerError('OTA_013', `No backup job ${job_id}`, { job_id });
      return backupProgressView({
        job_id,
        backup_id: String(row.params.backup_id ?? ''),
        status: outcomeOf(row),
        started_at: Date.parse(row.started_at),
        last: null,
        estimate: row.bytes_total,
        errors: row.errors,
        warnings: 0,
      });
    },
  };
}
