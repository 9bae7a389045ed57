import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { run, shq } from '../gateways/session';
import type { JobBody } from '../jobs/engine';
import { streamingSession } from '../ota/context';
import { safeToProceed } from '../ota/waits';
import { rel, type RecoveryDeps } from './context';
import { pushSlotImage } from './slot-image';
import { fileHashes } from './snapshot-job';
import type { SnapshotRow } from './snapshot-store';

/** What a restore puts back: the data paths, the slot image (into `target`), or both. */
export interface RestorePlan {
  data: boolean;
  slot: { target: SlotId; booted: SlotId } | null;
}

/** Inside the path itself, so the swap stays on one filesystem even when the path is a mount. */
const STAGE = '.rigger-restore';
const OLD = '.rigger-old';

/** The snapshot's file hashes under one path, relative to that path. */
function underPath(files: Record<string, string>, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [f, h] of Object.entries(files)) {
    if (f === path || f.startsWith(`${path}/`)) out[f.slice(path.length)] = h;
  }
  return out;
}

/**
 * Restore a snapshot. Its slot image first (when asked): written into the inactive slot through
 * the verified writer, proven, recorded, never selected. Then its paths, one at a time: unpack
 * into a staging folder beside the path, prove every file there against the hashes listed when
 * the snapshot was taken, then swap the staging folder in with two renames. Rigger's status file
 * keeps its current content (it says what the slots hold now, not when the snapshot was taken).
 * A failure stops before the next path and says which paths were restored and which were not;
 * a path is never left half replaced.
 */
export function restoreBody(
  d: RecoveryDeps,
  gateway: string,
  snap: SnapshotRow,
  plan: RestorePlan = { data: true, slot: null },
): JobBody {
  return async (ctx) => {
    const restored = (ctx.row().state.restored as string[] | undefined) ?? [];
    ctx.setStatus('verifying', 'verifying_snapshot_integrity');
    const { profile, session } = await streamingSession(d, gateway);
    await ctx.step('safety_check', () => safeToProceed(d, ctx, gateway, 'restoring data'));
    const img = plan.slot ? snap.slot_image : null;
    if (img && plan.slot && !ctx.row().state.slot_restored) {
      // Marks the job as the newest one that wrote this slot (what a rollback plan looks at).
      ctx.state({ target: plan.slot.target });
      const { target, booted } = plan.slot;
      await pushSlotImage(d, ctx, gateway, snap, img, target, booted).catch((err: unknown) => {
        const e = err instanceof RiggerError ? err : null;
        throw new RiggerError(
          e?.code ?? 'COMMAND_FAILED',
          `${(err as Error).message}. Slot ${target} is left unbootable and unrecorded (slot ${booted} still boots); no data path was restored`,
          {
            ...(e?.details ?? {}),
            slot_restored: null,
            restored: [],
            not_restored: plan.data ? snap.includes : [],
          },
          [...(e?.suggestedActions ?? []), 'Run the restore again'],
        );
      });
      ctx.state({ slot_restored: true });
    }
    const slotDone = img && plan.slot ? { slot: plan.slot.target, version: img.version } : null;
    const paths = plan.data ? snap.includes : [];
    ctx.setStatus('installing', 'restoring_from_snapshot');
    const total = paths.length;
    const statusFile = profile.status_file;
    try {
      for (const [i, path] of paths.entries()) {
        if (restored.includes(path)) continue;
        const stage = `${path}/${STAGE}`;
        await ctx.step(
          'restore_path',
          async () => {
            await run(
              session,
              `mkdir -p ${shq(path)} && rm -rf ${shq(stage)} ${shq(`${path}/${OLD}`)} && mkdir ${shq(stage)}`,
            );
            const { stdin, done } = await session.execStream(
              `tar -x${snap.file.endsWith('.gz') ? 'z' : ''}f - -C ${shq(stage)} ${shq(rel(path))}`,
            );
            const sent = pipeline(createReadStream(d.snapshots.path(snap.file)), stdin).then(
              () => null,
              (e: unknown) => e,
            );
            const [r, sendError] = await Promise.all([done, sent]);
            if (r.code !== 0) {
              throw new RiggerError(
                'COMMAND_FAILED',
                `Unpacking ${path} on the gateway failed: ${r.stderr.toString().trim()}`,
                { path, exit_code: r.code },
                ['Check free space on the gateway'],
              );
            }
            if (sendError) throw sendError;
            // Prove the staged copy before it replaces anything.
            const staged = `${stage}/${rel(path)}`;
            const want = underPath(snap.files, path);
            const got = underPath(await fileHashes(session, [staged]), staged);
            const bad = Object.keys(want).filter((f) => got[f] !== want[f]);
            if (bad.length) {
              await run(session, `rm -rf ${shq(stage)}`);
              throw new RiggerError(
                'OTA_007',
                `${bad.length} restored file(s) under ${path} differ from the snapshot`,
                { path, files: bad.slice(0, 20) },
                ['Nothing under this path was replaced', 'Check the storage of the gateway'],
              );
            }
            if (statusFile.startsWith(`${path}/`)) {
              // The slots' record as it is now goes in, not the one of the snapshot's day.
              const stagedStatus = `${staged}${statusFile.slice(path.length)}`;
              await run(
                session,
                `if [ -e ${shq(statusFile)} ]; then mkdir -p "$(dirname ${shq(stagedStatus)})" && cp ${shq(statusFile)} ${shq(stagedStatus)}; else rm -f ${shq(stagedStatus)}; fi`,
              );
            }
            // Swap the contents: the old ones aside, the staged ones in, then the old ones gone.
            const others = `! -name ${STAGE} ! -name ${OLD}`;
            await run(
              session,
              [
                'set -e',
                `cd ${shq(path)}`,
                `mkdir ${OLD}`,
                `find . -mindepth 1 -maxdepth 1 ${others} -exec mv {} ${OLD}/ \\;`,
                `cd ${shq(staged)}`,
                `find . -mindepth 1 -maxdepth 1 -exec mv {} ${shq(path)}/ \\;`,
                `cd ${shq(path)}`,
                `rm -rf ${STAGE} ${OLD}`,
              ].join('\n'),
            );
          },
          { path },
        );
        restored.push(path);
        ctx.state({ restored });
        ctx.progress(i + 1, total, 0, (100 * (i + 1)) / total);
      }
    } catch (err) {
      const rest = paths.filter((p) => !restored.includes(p));
      throw new RiggerError(
        err instanceof RiggerError ? err.code : 'COMMAND_FAILED',
        `${(err as Error).message}. Restored: ${restored.join(', ') || 'nothing'}; not restored: ${rest.join(', ')}`,
        {
          ...(err instanceof RiggerError ? err.details : {}),
          restored,
          not_restored: rest,
          slot_restored: slotDone,
        },
        [
          'Each restored path holds exactly the snapshot; the others are as they were',
          'Run the restore again: it continues with the paths not restored',
        ],
      );
    }
    ctx.setStatus('verifying', 'verifying_restored_system');
    const check = await ctx.step('verify_restore', async () => {
      if (!paths.length) return { files: 0, differ: [] as string[] };
      const now = await fileHashes(session, paths);
      const wanted = Object.keys(snap.files).filter((f) => f !== statusFile);
      const differ = wanted.filter((f) => now[f] !== snap.files[f]);
      return { files: wanted.length, differ };
    });
    if (check.differ.length) {
      throw new RiggerError(
        'OTA_007',
        `After the restore, ${check.differ.length} file(s) differ from the snapshot`,
        { files: check.differ.slice(0, 20), restored },
        ['Something on the gateway changed them: look at what runs there'],
      );
    }
    const what = [
      ...(slotDone ? [`slot ${slotDone.slot} (${slotDone.version ?? 'version unknown'})`] : []),
      ...(restored.length ? [`${restored.join(', ')} (${check.files} files verified)`] : []),
    ];
    return {
      message: `Restored ${what.join(' and ')} from snapshot ${snap.id}${slotDone ? `; slot ${slotDone.slot} is not selected: roll back to it to boot it` : ''}`,
      result: {
        snapshot_id: snap.id,
        restored,
        files_verified: check.files,
        slot_restored: slotDone,
      },
    };
  };
}
