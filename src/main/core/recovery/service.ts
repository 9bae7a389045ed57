import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import type {
  FactoryInput,
  RecoveryStatus,
  RestoreInput,
  RollbackInput,
  SnapshotInput,
} from '../../../shared/recovery';
import type { SlotId } from '../../../shared/profile';
import { formatBytes } from '../../../shared/format/bytes';
import { otherSlot } from '../bootloader/slots';
import { run, shq } from '../gateways/session';
import { readRecords } from '../ota/status-record';
import { installBody } from '../ota/install';
import { nowIso } from '../util/time';
import type { RecoveryDeps } from './context';
import { assertResetAllowed, assertResetEnabled, factoryBody } from './factory-reset';
import { monitorStatus } from './monitor-status';
import { planRollback } from './rollback';
import { restoreBody } from './restore-job';
import { newSnapshotId, snapshotBody } from './snapshot-job';
import { toEntry, type SnapshotRow } from './snapshot-store';

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

/** Issue 6: recovery status, snapshots, restore, rollback, factory reset, monitor status. */
export function createRecoveryService(d: RecoveryDeps, lastCatalog: () => string | null) {
  const user = (u?: string) => u ?? 'local';

  const snapshot = (name: string, id: string) => {
    const row = d.snapshots.find(id);
    if (!row || row.gateway.toLowerCase() !== name.toLowerCase()) {
      throw new RiggerError('NOT_FOUND', `No snapshot ${id} of ${name}`, { snapshot_id: id }, [
        'List the snapshots: rigger snapshot list',
      ]);
    }
    return row;
  };

  /** A snapshot's file is whole and what it was when taken, or OTA_007 before any write. */
  const proveFile = async (row: SnapshotRow, name: string, sha256: string, what: string) => {
    const file = d.snapshots.path(name);
    const actual = existsSync(file) ? await sha256File(file) : null;
    if (actual !== sha256) {
      throw new RiggerError(
        'OTA_007',
        actual
          ? `Snapshot ${row.id} is damaged: its ${what} no longer matches its checksum`
          : `Snapshot ${row.id}'s ${what} is missing from this laptop`,
        { expected: `sha256:${sha256}`, actual: actual ? `sha256:${actual}` : null, file: name },
        ['Nothing was written to the gateway', 'Use another snapshot'],
      );
    }
  };

  return {
    async status(gateway: string, withChecksum: boolean): Promise<RecoveryStatus> {
      const { profile, session } = await d.gateways.session(gateway);
      const device = profile.recovery?.device ?? null;
      let image: RecoveryStatus['recovery_image'] = {
        present: false,
        version: null,
        size: null,
        checksum: null,
        last_updated: null,
      };
      if (device) {
        const r = await session.exec(
          `d=${shq(device)}; [ -e "$d" ] || exit 3; if [ -b "$d" ]; then echo $(( $(cat /sys/class/block/$(basename "$(readlink -f "$d")")/size) * 512 )); else wc -c < "$d"; fi`,
        );
        if (r.code === 0) {
          const records = await readRecords(session, profile.status_file);
          const rec = records.recovery as { version?: string; installed_at?: string } | undefined;
          const bytes = Number(r.stdout.toString().trim());
          image = {
            present: true,
            version: rec?.version ?? null,
            size: Number.isFinite(bytes) ? formatBytes(bytes) : null,
            checksum: withChecksum
              ? `sha256:${(await run(session, `sha256sum ${shq(device)}`, { timeoutMs: 3600_000 })).split(/\s+/)[0]}`
              : null,
            last_updated: rec?.installed_at ?? null,
          };
        }
      }
      const o = d.settings.get().recovery;
      let rollback: RecoveryStatus['rollback'];
      try {
        const plan = await planRollback(d, gateway);
        rollback = {
          available: true,
          to_slot: plan.target,
          to_version: plan.record.version,
          reason: null,
        };
      } catch (err) {
        rollback = {
          available: false,
          to_slot: null,
          to_version: null,
          reason: (err as Error).message,
        };
      }
      return {
        recovery_image: image,
        snapshots: d.snapshots.list(gateway).map(toEntry),
        recovery_options: {
          rollback_enabled: o.rollback_enabled,
          snapshot_enabled: o.snapshot_enabled,
          factory_reset_enabled: o.factory_reset_enabled,
          max_snapshots: o.max_snapshots,
          snapshot_retention_days: o.snapshot_retention_days,
        },
        rollback,
      };
    },

    snapshot(req: SnapshotInput, by?: string) {
      if (!d.settings.get().recovery.snapshot_enabled) {
        throw new RiggerError('VALIDATION_ERROR', 'Snapshots are turned off in Settings', {}, [
          'Turn on recovery.snapshot_enabled in Settings',
        ]);
      }
      const id = newSnapshotId();
      const row = d.engine.create({
        gateway: req.gateway,
        type: 'snapshot',
        subtype: 'snapshot',
        started_by: user(by),
        params: { snapshot_id: id, name: req.name },
      });
      void d.engine.run(row.id, snapshotBody(d, req.gateway, id, req));
      return {
        status: 'snapshot_started' as const,
        snapshot_id: id,
        name: req.name,
        estimated_size: null,
        estimated_time: null,
        steps: [
          'Preparing filesystem',
          ...(req.include_slot ? ['Creating system image'] : []),
          'Backup user data',
          'Backup configurations',
          'Creating metadata',
          'Compressing archive',
        ],
        job_id: row.id,
      };
    },

    list: (gateway?: string) => ({ snapshots: d.snapshots.list(gateway).map(toEntry) }),

    remove(id: string) {
      const row = d.snapshots.find(id);
      if (!row) throw new RiggerError('NOT_FOUND', `No snapshot ${id}`, { snapshot_id: id });
      d.snapshots.remove(row);
      d.audit.record({
        action: 'snapshot.removed',
        outcome: 'ok',
        details: { snapshot_id: id, gateway: row.gateway },
      });
      return { removed: true as const };
    },

    async restore(req: RestoreInput, by?: string) {
      const snap = snapshot(req.gateway, req.snapshot_id);
      const img = req.restore_slot ? snap.slot_image : null;
      if (req.target_partition && !snap.slot_image) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          `Snapshot ${snap.id} holds data paths, not a slot image: there is nothing to write to slot ${req.target_partition}`,
          { snapshot_id: snap.id, includes: snap.includes },
          ['Restore without a target partition', 'Install the version from the image library'],
        );
      }
      if (!req.restore_data && !img) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          `Nothing to restore: the data paths are left out and snapshot ${snap.id} holds no slot image to write`,
          { snapshot_id: snap.id, restore_data: false, restore_slot: req.restore_slot },
          ['Restore the data paths', 'Choose a snapshot taken with its slot image'],
        );
      }
      if (req.restore_data) await proveFile(snap, snap.file, snap.sha256, 'archive');
      if (img) await proveFile(snap, img.file, img.file_sha256, 'slot image');
      const status = await d.gateways.status(req.gateway, 'pinned-only');
      if (snap.model && status.gateway.model && snap.model !== status.gateway.model) {
        throw new RiggerError(
          'OTA_005',
          `Snapshot ${snap.id} was taken on a ${snap.model}; ${req.gateway} is a ${status.gateway.model}`,
          { snapshot_model: snap.model, gateway_model: status.gateway.model },
          ['Use a snapshot of this gateway model'],
        );
      }
      let slotPlan: { target: SlotId; booted: SlotId } | null = null;
      if (img) {
        const booted = status.boot?.consistent ? status.boot.booted_slot : null;
        if (!booted) {
          throw new RiggerError(
            'OTA_008',
            `The booted slot of ${req.gateway} is not known for sure: no slot image is written`,
            { warnings: status.warnings },
            ['Look at the gateway status', 'Restore the data paths only'],
          );
        }
        const target = req.target_partition ?? otherSlot(booted);
        if (target === booted) {
          throw new RiggerError(
            'OTA_008',
            `Slot ${target} is the booted slot: Rigger never writes to it`,
            { target_partition: target, booted },
            [`Restore the image into slot ${otherSlot(booted)}`],
          );
        }
        slotPlan = { target, booted };
      }
      const row = d.engine.create({
        gateway: req.gateway,
        type: 'restore',
        subtype: slotPlan
          ? req.restore_data
            ? 'restore_slot_and_data'
            : 'restore_slot'
          : 'restore',
        started_by: user(by),
        params: {
          snapshot_id: snap.id,
          version: snap.version,
          description: req.description,
          target_partition: slotPlan?.target ?? null,
          restore_data: req.restore_data,
        },
      });
      if (img) d.engine.store.update(row.id, { bytes_total: img.size });
      void d.engine.run(
        row.id,
        restoreBody(d, req.gateway, snap, { data: req.restore_data, slot: slotPlan }),
      );
      return {
        status: 'restoring' as const,
        version: snap.version,
        snapshot_id: snap.id,
        restore_id: row.id,
        estimated_time: null,
        steps: [
          'Verifying snapshot integrity',
          ...(slotPlan
            ? [`Preparing target partition ${slotPlan.target}`, 'Writing the slot image']
            : []),
          ...(req.restore_data
            ? ['Restoring from snapshot', 'Verifying restored files', 'Swapping restored paths in']
            : []),
          'Verifying restored system',
        ],
        target_partition: slotPlan?.target ?? null,
      };
    },

    async rollback(req: RollbackInput, by?: string) {
      const wanted: SlotId | undefined =
        req.action === 'rollback_to_a' ? 'A' : req.action === 'rollback_to_b' ? 'B' : undefined;
      const plan = await planRollback(d, req.gateway, wanted);
      d.engine.assertFree(req.gateway);
      // Rule 7 before anything (a diagnostic bundle included): a blocking signal refuses at once
      // with OTA_002 and its details, unless an override is active. The job checks again.
      await d.safety.check(req.gateway, 'rolling back');
      let diagnostic: string | null = null;
      if (req.create_diagnostic_report) {
        const bundle = await d.monitor.debug(req.gateway, {
          include_logs: true,
          include_config: true,
          include_system_info: true,
          compression: 'gzip',
        });
        diagnostic = bundle.bundle_id;
      }
      const row = d.engine.create({
        gateway: req.gateway,
        type: 'rollback',
        subtype: 'rollback',
        started_by: user(by),
        params: {
          version: plan.record.version,
          size: plan.record.size,
          reason: req.reason,
          from_version: plan.fromVersion,
          diagnostic_report_id: diagnostic,
        },
        // The slot already holds its image: the install phase proves it (the gateway's hash
        // against the record) before it switches.
        state: {
          target: plan.target,
          booted: plan.booted,
          verified: true,
          sha256: plan.record.sha256,
          phase: 'install',
        },
      });
      d.engine.store.update(row.id, { bytes_total: plan.record.size });
      d.audit.record({
        action: 'recovery.rollback',
        outcome: 'ok',
        details: { gateway: req.gateway, job: row.id, to: plan.target, reason: req.reason },
      });
      void d.engine.run(
        row.id,
        installBody(d, req.gateway, {
          reboot_delay: req.reboot_delay,
          verify_installation: true,
          create_snapshot: false,
        }),
      );
      return {
        status: 'rolling_back' as const,
        action:
          plan.target === 'A'
            ? ('switch_to_partition_a' as const)
            : ('switch_to_partition_b' as const),
        rollback_id: row.id,
        from_version: plan.fromVersion,
        to_version: plan.record.version,
        estimated_time: null,
        warning: 'Gateway will reboot during rollback',
        data_preserved: true,
        diagnostic_report_id: diagnostic,
      };
    },

    async factory(req: FactoryInput, by?: string) {
      if (!req.confirm) {
        throw new RiggerError('VALIDATION_ERROR', 'A factory reset needs confirm: true', {}, [
          'Confirm by typing the gateway name in the dialog',
        ]);
      }
      // The setting first (no PIN attempt wasted), then the PIN, then the crane's signals.
      assertResetEnabled(d, req.gateway);
      if (req.backup_config && d.gateways.via(req.gateway) === 'serial') {
        throw new RiggerError(
          'VALIDATION_ERROR',
          `${req.gateway} is reached over its serial console, which is far too slow to carry an emergency backup`,
          { gateway: req.gateway, backup_config: true },
          [
            'Take a snapshot over SSH first if its network works',
            'Or reset without the emergency backup (backup_config: false): its data is lost',
          ],
        );
      }
      d.safety.verifyPin(req.pin, { gateway: req.gateway, action: 'factory reset' });
      await assertResetAllowed(d, req.gateway);
      d.engine.assertFree(req.gateway);
      d.audit.record({
        action: 'recovery.factory_reset',
        outcome: 'ok',
        details: { gateway: req.gateway, reset_type: req.reset_type, reason: req.reason },
      });
      const backupId = req.backup_config ? newSnapshotId() : null;
      let backedUp!: (row: SnapshotRow | null) => void;
      const backup = new Promise<SnapshotRow | null>((resolve) => (backedUp = resolve));
      const row = d.engine.create({
        gateway: req.gateway,
        type: 'factory_reset',
        subtype: req.reset_type,
        started_by: user(by),
        params: { reason: req.reason, backup_id: backupId, requested_at: nowIso() },
      });
      const done = d.engine.run(row.id, factoryBody(d, req.gateway, req, backupId, backedUp));
      // The answer says whether the emergency backup exists: wait for it (or for the job's end).
      const made = await Promise.race([backup, done.then(() => null)]);
      if (backupId && !made) {
        const failed = d.engine.store.find(row.id);
        throw new RiggerError(
          failed?.error?.code ?? 'COMMAND_FAILED',
          `The emergency backup failed, so nothing was reset: ${failed?.error?.message ?? 'unknown error'}`,
          { job_id: row.id },
          ['Check the link to the gateway and its free space, then try again'],
        );
      }
      return {
        status: 'factory_reset_started' as const,
        reset_id: row.id,
        warning: 'ALL DATA WILL BE LOST. This action cannot be undone.',
        estimated_time: null,
        steps: [
          ...(backupId ? ['Creating emergency backup'] : []),
          'Wiping user data',
          'Resetting configurations',
          'Rebooting system',
        ],
        backup_created: !!made,
        backup_location: made ? d.snapshots.path(made.file) : null,
      };
    },

    monitorStatus: (gateway: string) => monitorStatus(d, gateway, lastCatalog()),
  };
}

export type RecoveryService = ReturnType<typeof createRecoveryService>;
