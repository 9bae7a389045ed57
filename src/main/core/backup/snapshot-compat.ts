import type { OperationOutput } from '../../../shared/api';
import {
  backupCreateSchema,
  backupDeleteSchema,
  recoveryInitiateSchema,
  snapshotRestoreSchema,
} from '../../../shared/backup';
import { RiggerError } from '../../../shared/errors';
import { seedTime } from '../../../shared/format/time';
import type { RestoreInput, SnapshotEntry, SnapshotInput } from '../../../shared/recovery';
import { otherSlot } from '../bootloader/slots';
import type { JobContext } from '../jobs/engine';
import { offeredComponents, whichGateway } from './gateway-facts';
import type { BackupManifest } from './manifest';
import { backupInJob } from './pre-ota';
import type { BackupContext, BackupService } from './service';
import { backupSize, componentNames, manifestChecksum, sizeText } from './views';

/**
 * The recovery area's snapshots (seed gateway-ota-recovery-api: `monitor/snapshot`,
 * `recovery/status`'s list, `recovery/restore`) are backups now: one store, one writer, one
 * restore. This is that seed's view of them; ids are backup ids.
 */
export interface SnapshotBackups {
  /** A gateway's backups (or all), newest first, as `recovery/status` lists snapshots. */
  entries(gateway?: string): Promise<SnapshotEntry[]>;
  /** `monitor/snapshot`: start a backup job; its id is the snapshot id the seed returns. */
  create(req: SnapshotInput, by?: string): Promise<{ backup_id: string; job_id: string }>;
  /** A verified `config` backup of the file components inside a running job (factory reset's). */
  inJob(
    gateway: string,
    ctx: JobContext,
    name: string,
    description: string,
  ): Promise<{ backup_id: string; path: string }>;
  remove(id: string): Promise<void>;
  /** `recovery/restore`: the backup's files back, and its system image written and booted. */
  restore(req: RestoreInput, by?: string): Promise<OperationOutput<'recovery.restore'>>;
}

/** A backup as the recovery seed shows a snapshot. */
export function snapshotEntry(m: BackupManifest, checksum: string): SnapshotEntry {
  const size = backupSize(m);
  return {
    id: m.id,
    timestamp: seedTime(new Date(m.created_at)),
    version: m.gateway.version,
    type: m.type === 'pre-ota' || m.created_by === 'rigger' ? 'automatic' : 'manual',
    size: sizeText(size),
    description: m.description,
    partition: m.system?.slot ?? null,
    bootable: !!m.system,
    name: m.name,
    gateway: m.gateway.name,
    model: m.gateway.model || null,
    size_bytes: size,
    sha256: checksum,
    includes: Object.values(m.components).flatMap((x) => x.paths),
    slot_image: m.system
      ? {
          slot: m.system.slot,
          version: m.system.version,
          size_bytes: m.system.size,
          sha256: m.system.image_sha256,
        }
      : null,
  };
}

/** The recovery seed's snapshot operations on the backup service. */
export function createSnapshotBackups(
  c: BackupContext,
  b: BackupService,
  /** The service's start (the snapshot migration) that every answer waits for. */
  ready: () => Promise<void>,
): SnapshotBackups {
  const manifestOf = (id: string) => {
    try {
      return c.repo().load(id).manifest;
    } catch (err) {
      if (err instanceof RiggerError && err.code === 'BACKUP_NOT_FOUND')
        throw new RiggerError('NOT_FOUND', `No snapshot ${id}`, { snapshot_id: id }, [
          'Snapshots are backups now: rigger backup list',
        ]);
      throw err;
    }
  };
  return {
    async entries(gateway) {
      // The newest 1000 rows of `backup/list`, each manifest read once.
      await ready();
      const repo = c.repo();
      const rows: BackupManifest[] = [];
      for (const id of repo.ids()) {
        try {
          const m = repo.load(id).manifest;
          if (m.kind !== 'snapshot') rows.push(m);
        } catch {
          // Unreadable here (another key): not listed, as `backup/list` does.
        }
      }
      rows.sort((x, y) => y.created_at.localeCompare(x.created_at));
      return rows
        .slice(0, 1000)
        .filter((m) => componentNames(m).length)
        .filter((m) => !gateway || m.gateway.name.toLowerCase() === gateway.toLowerCase())
        .map((m) => snapshotEntry(m, manifestChecksum(m)));
    },
    async create(req, by) {
      const gateway = whichGateway(c, req.gateway);
      if (req.include_logs)
        throw new RiggerError(
          'VALIDATION_ERROR',
          'Log paths are not part of a backup (snapshots are backups now)',
          { include_logs: true },
          ['Leave include_logs out', "Collect the logs with the monitor's debug bundle"],
        );
      const files = req.include_data || req.include_config;
      if (!files && !req.include_slot)
        throw new RiggerError(
          'VALIDATION_ERROR',
          'Nothing to snapshot: choose data, config or the slot',
          {},
          ['Set include_data, include_config or include_slot'],
        );
      const components = [
        ...(req.include_slot ? ['system'] : []),
        ...(files ? Object.keys(offeredComponents(c, gateway)) : []),
      ];
      const r = await b.create(
        backupCreateSchema.parse({
          name: req.name,
          type: req.type === 'automatic' ? 'pre-ota' : 'full',
          components,
          encrypt: !!c.repo().key,
          description: req.description,
          gateway,
        }),
        by,
      );
      return { backup_id: r.backup_id, job_id: r.job_id };
    },
    async inJob(gateway, ctx, name, description) {
      const { backup_id } = await backupInJob(c, gateway, ctx, {
        name,
        type: 'config',
        description,
      });
      return { backup_id, path: c.repo().file(backup_id, 'manifest') };
    },
    async remove(id) {
      manifestOf(id);
      await b.remove(backupDeleteSchema.parse({ backup_id: id, reason: 'snapshots.remove' }));
    },
    async restore(req, by) {
      const m = manifestOf(req.snapshot_id);
      if (m.gateway.name.toLowerCase() !== req.gateway.toLowerCase())
        throw new RiggerError('NOT_FOUND', `No snapshot ${m.id} of ${req.gateway}`, {
          snapshot_id: m.id,
        });
      // Refused before a job starts, as the seed's restore always was.
      const status = await c.gateways.status(req.gateway, 'pinned-only');
      const live = status.gateway.model;
      if (m.gateway.model && live && m.gateway.model !== live)
        throw new RiggerError(
          'OTA_005',
          `Snapshot ${m.id} was taken on a ${m.gateway.model}; ${req.gateway} is a ${live}`,
          { snapshot_model: m.gateway.model, gateway_model: live },
          ['Use a snapshot of this gateway model'],
        );
      const system = req.restore_slot && !!m.system;
      const booted = status.boot?.consistent ? status.boot.booted_slot : null;
      if (system && req.target_partition && req.target_partition === booted)
        throw new RiggerError(
          'OTA_008',
          `Slot ${booted} is the booted slot: Rigger never writes to it`,
          { target_partition: req.target_partition, booted },
          [`Restore the image into slot ${otherSlot(booted)}`],
        );
      if (req.target_partition && !m.system)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `Snapshot ${m.id} holds no system image: there is nothing to write to slot ${req.target_partition}`,
          { snapshot_id: m.id },
          ['Restore without a target partition'],
        );
      if (!req.restore_data && !system)
        throw new RiggerError('VALIDATION_ERROR', `Nothing to restore from snapshot ${m.id}`, {
          snapshot_id: m.id,
        });
      const started = system
        ? await b
            .initiate(
              recoveryInitiateSchema.parse({
                backup_id: m.id,
                recovery_type: req.restore_data ? 'full' : 'system',
                create_pre_recovery_snapshot: false,
                reason: req.description,
                confirmation: true,
              }),
              by,
            )
            .then((r) => ({ id: r.recovery_id, duration: r.estimated_duration }))
        : await b
            .snapshotRestore(
              snapshotRestoreSchema.parse({
                snapshot_id: m.id,
                create_backup: false,
                reason: req.description,
              }),
              by,
            )
            .then((r) => ({ id: r.restore_id, duration: r.estimated_duration }));
      // "N seconds" / "N minutes", as the backup area estimates it.
      const [n = 60, unit = 'seconds'] = started.duration.split(' ');
      const seconds = Number(n) * (unit.startsWith('minute') ? 60 : 1) || 60;
      return {
        status: 'restoring' as const,
        version: m.gateway.version,
        snapshot_id: m.id,
        restore_id: started.id,
        estimated_time: seconds,
        steps: [
          'Verifying snapshot integrity',
          ...(system ? ['Preparing target partition', 'Writing the slot image'] : []),
          ...(req.restore_data ? ['Restoring from snapshot', 'Verifying restored files'] : []),
          ...(system ? ['Updating bootloader'] : []),
          'Verifying restored system',
        ],
        // The system image goes into the slot not booted (when the booted one differs).
        target_partition: system && booted ? otherSlot(booted) : null,
      };
    },
  };
}
