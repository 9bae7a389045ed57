import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { run, shq } from '../gateways/session';
import type { JobBody } from '../jobs/engine';
import { streamingSession } from '../ota/context';
import { safeToProceed } from '../ota/waits';
import { rel, type RecoveryDeps } from './context';
import { fileHashes } from './snapshot-job';
import type { SnapshotRow } from './snapshot-store';

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
 * Restore a snapshot's paths, one at a time: unpack into a staging folder beside the path,
 * prove every file there against the hashes listed when the snapshot was taken, then swap the
 * staging folder in with two renames. A failure stops before the next path and says which
 * paths were restored and which were not; a path is never left half replaced.
 */
export function restoreBody(d: RecoveryDeps, gateway: string, snap: SnapshotRow): JobBody {
  return async (ctx) => {
    const restored = (ctx.row().state.restored as string[] | undefined) ?? [];
    ctx.setStatus('verifying', 'verifying_snapshot_integrity');
    const { session } = await streamingSession(d, gateway);
    await ctx.step('safety_check', () => safeToProceed(d, ctx, gateway, 'restoring data'));
    ctx.setStatus('installing', 'restoring_from_snapshot');
    const total = snap.includes.length;
    try {
      for (const [i, path] of snap.includes.entries()) {
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
      const rest = snap.includes.filter((p) => !restored.includes(p));
      throw new RiggerError(
        err instanceof RiggerError ? err.code : 'COMMAND_FAILED',
        `${(err as Error).message}. Restored: ${restored.join(', ') || 'nothing'}; not restored: ${rest.join(', ')}`,
        {
          ...(err instanceof RiggerError ? err.details : {}),
          restored,
          not_restored: rest,
        },
        [
          'Each restored path holds exactly the snapshot; the others are as they were',
          'Run the restore again: it continues with the paths not restored',
        ],
      );
    }
    ctx.setStatus('verifying', 'verifying_restored_system');
    const check = await ctx.step('verify_restore', async () => {
      const now = await fileHashes(session, snap.includes);
      const differ = Object.keys(snap.files).filter((f) => now[f] !== snap.files[f]);
      return { files: Object.keys(snap.files).length, differ };
    });
    if (check.differ.length) {
      throw new RiggerError(
        'OTA_007',
        `After the restore, ${check.differ.length} file(s) differ from the snapshot`,
        { files: check.differ.slice(0, 20), restored },
        ['Something on the gateway changed them: look at what runs there'],
      );
    }
    return {
      message: `Restored ${restored.join(', ')} from snapshot ${snap.id} (${check.files} files verified)`,
      result: { snapshot_id: snap.id, restored, files_verified: check.files },
    };
  };
}
