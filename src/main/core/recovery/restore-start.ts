import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { OperationOutput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import type { RestoreInput } from '../../../shared/recovery';
import { otherSlot } from '../bootloader/slots';
import { noteEstimate } from '../jobs/estimate';
import type { RecoveryDeps } from './context';
import { restoreBody } from './restore-job';
import type { SnapshotRow } from './snapshot-store';

async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

/** A gateway's snapshot by id, or NOT_FOUND. */
export function snapshotOf(d: RecoveryDeps, name: string, id: string): SnapshotRow {
  const row = d.snapshots.find(id);
  if (!row || row.gateway.toLowerCase() !== name.toLowerCase()) {
    throw new RiggerError('NOT_FOUND', `No snapshot ${id} of ${name}`, { snapshot_id: id }, [
      'List the snapshots: rigger snapshot list',
    ]);
  }
  return row;
}

/** A snapshot's file is whole and what it was when taken, or OTA_007 before any write. */
async function proveFile(
  d: RecoveryDeps,
  row: SnapshotRow,
  name: string,
  sha256: string,
  what: string,
) {
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
}

/**
 * Start a restore: the snapshot's files proven on this laptop, the gateway's model and booted
 * slot checked, then a job puts back its data paths and/or writes its slot image.
 */
export async function startRestore(
  d: RecoveryDeps,
  req: RestoreInput,
  by?: string,
): Promise<OperationOutput<'recovery.restore'>> {
  const snap = snapshotOf(d, req.gateway, req.snapshot_id);
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
  if (req.restore_data) await proveFile(d, snap, snap.file, snap.sha256, 'archive');
  if (img) await proveFile(d, snap, img.file, img.file_sha256, 'slot image');
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
    subtype: slotPlan ? (req.restore_data ? 'restore_slot_and_data' : 'restore_slot') : 'restore',
    started_by: by ?? 'local',
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
    estimated_time: noteEstimate(d.engine.store, row.id, {
      gateway: req.gateway,
      type: 'restore',
      ...(img ? { bytes: img.size } : {}),
    }),
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
}
