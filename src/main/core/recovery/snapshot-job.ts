import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { snapshotBound } from './snapshot-bound';
import { RiggerError } from '../../../shared/errors';
import type { SnapshotInput } from '../../../shared/recovery';
import { commandToFile } from '../gateways/read-to-file';
import { run, shq, type GatewaySession } from '../gateways/session';
import type { JobBody, JobContext } from '../jobs/engine';
import { streamingSession } from '../ota/context';
import { nowIso } from '../util/time';
import { rel, snapshotPaths, type RecoveryDeps } from './context';
import { bootedSlotRecord, pullSlotImage } from './slot-image';
import type { SlotImage, SnapshotRow } from './snapshot-store';

export const newSnapshotId = () => `snap-${randomBytes(4).toString('hex')}`;

/** SHA-256 of every regular file under `paths`, computed by the gateway, by absolute path. */
export async function fileHashes(
  session: GatewaySession,
  paths: string[],
  root = '/',
): Promise<Record<string, string>> {
  const out = await run(
    session,
    `cd ${shq(root)} && find ${paths.map((p) => shq(rel(p))).join(' ')} -type f -exec sha256sum {} \\;`,
    { timeoutMs: 600_000 },
  );
  const files: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (m) files[`/${m[2]!}`] = m[1]!;
  }
  return files;
}

/** Which of these paths exist on the gateway. */
async function existing(session: GatewaySession, paths: string[]): Promise<string[]> {
  const out = await run(
    session,
    `for p in ${paths.map(shq).join(' ')}; do [ -e "$p" ] && echo "$p"; done; true`,
  );
  return out.split('\n').filter(Boolean);
}

/**
 * A snapshot: the gateway streams a tar of the profile's paths (one SSH channel, compressed on
 * the gateway) into Rigger's store, hashed on the way; every file's SHA-256 is listed first so
 * a restore can prove what it wrote. A dropped link fails the job and leaves no partial file.
 */
export function snapshotBody(
  d: RecoveryDeps,
  gateway: string,
  id: string,
  req: SnapshotInput,
  onDone?: (row: SnapshotRow) => void,
): JobBody {
  return async (ctx) => {
    ctx.setStatus('downloading', 'preparing_filesystem');
    const { profile, session } = await streamingSession(d, gateway);
    const facts = await ctx.step('check_gateway', async () => {
      const status = await d.gateways.status(gateway, 'pinned-only');
      const wanted = snapshotPaths(profile, req);
      const present = await existing(session, wanted);
      if (!present.length) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          `None of the paths to snapshot exist on ${gateway}: ${wanted.join(', ')}`,
          { paths: wanted },
          ["Check the profile's data_paths and log_paths"],
        );
      }
      const slot = status.boot?.booted_slot ?? null;
      let slotRecord = null;
      if (req.include_slot) {
        if (!slot || !status.boot?.consistent) {
          throw new RiggerError(
            'VALIDATION_ERROR',
            `The booted slot of ${gateway} is not known for sure: its image cannot be taken`,
            { warnings: status.warnings },
            ['Snapshot the data paths only', 'Look at the gateway status'],
          );
        }
        slotRecord = await bootedSlotRecord(session, profile.status_file, slot);
      }
      return {
        version: status.partitions.active.version,
        slot,
        slotRecord,
        model: status.gateway.model,
        paths: present,
        missing: wanted.filter((p) => !present.includes(p)),
      };
    });
    const files = await ctx.step('list_files', () => fileHashes(session, facts.paths));
    const estimate = await ctx.step('estimate_size', async () => {
      const out = await run(session, `du -sk ${facts.paths.map(shq).join(' ')}`);
      return out.split('\n').reduce((n, l) => n + (Number(l.split(/\s+/)[0]) || 0) * 1024, 0);
    });

    ctx.setStatus('downloading', 'creating_archive');
    const gzip = req.compression === 'gzip';
    const file = `${id}.tar${gzip ? '.gz' : ''}`;
    const partial = d.snapshots.path(`${file}.partial`);
    const cmd = `cd / && tar -c${gzip ? 'z' : ''}f - ${facts.paths.map((p) => shq(rel(p))).join(' ')}`;
    let done = false;
    let slotImage: SlotImage | null = null;
    try {
      const written = await ctx.step('archive', () =>
        commandToFile(
          session,
          cmd,
          partial,
          // Compressed size is unknown ahead: the estimate is the uncompressed size.
          (bytes, speed) => ctx.progress(bytes, Math.max(bytes + 1, estimate), speed),
          (r) =>
            new RiggerError(
              'COMMAND_FAILED',
              `The gateway could not archive ${facts.paths.join(', ')}: ${r.stderr.toString().trim()}`,
              { command: cmd, exit_code: r.code },
              ['Check the paths on the gateway', 'Check free memory and disk on the gateway'],
            ),
          snapshotBound(estimate, d.snapshots.path('.')),
        ),
      );
      if (facts.slotRecord && facts.slot) {
        const { slot, slotRecord } = facts;
        ctx.setStatus('downloading', 'creating_system_image');
        slotImage = await ctx.step(
          'slot_image',
          () => pullSlotImage(d, ctx, gateway, id, slot, slotRecord, gzip),
          { slot, size: slotRecord.size },
        );
      }
      const row: SnapshotRow = {
        id,
        gateway,
        model: facts.model,
        name: req.name,
        description: req.description,
        type: req.type,
        created_at: nowIso(),
        version: facts.version,
        slot: facts.slot,
        includes: facts.paths,
        file,
        size: written.bytes,
        sha256: written.sha256,
        files,
        job_id: ctx.id,
        slot_image: slotImage,
      };
      await ctx.step('record', async () => {
        renameSync(partial, d.snapshots.path(file));
        d.snapshots.insert(row);
      });
      done = true;
      const { max_snapshots, snapshot_retention_days } = d.settings.get().recovery;
      const removed = d.snapshots.retain(gateway, max_snapshots, snapshot_retention_days);
      onDone?.(row);
      ctx.progress(written.bytes, written.bytes, 0, 100);
      return {
        message: `Snapshot ${id} of ${gateway}: ${facts.paths.join(', ')} (${Object.keys(files).length} files)`,
        result: {
          snapshot_id: id,
          size: written.bytes,
          sha256: written.sha256,
          includes: facts.paths,
          slot_image: slotImage ? { slot: slotImage.slot, version: slotImage.version } : null,
          missing: facts.missing,
          files: Object.keys(files).length,
          removed_by_retention: removed,
        },
      };
    } finally {
      if (!done) {
        rmSync(partial, { force: true });
        if (slotImage) rmSync(d.snapshots.path(slotImage.file), { force: true });
      }
    }
  };
}

/** A snapshot taken as a step of another job (before an update switches slots). */
export async function snapshotInJob(
  d: RecoveryDeps,
  gateway: string,
  ctx: JobContext,
  description: string,
): Promise<{ snapshot_id: string }> {
  const id = newSnapshotId();
  await snapshotBody(d, gateway, id, {
    gateway,
    name: 'before-update',
    description,
    include_data: true,
    include_config: true,
    include_logs: false,
    include_slot: false,
    compression: 'gzip',
    priority: 'normal',
    type: 'automatic',
  })(ctx);
  return { snapshot_id: id };
}
