import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RiggerError } from '../../../shared/errors';
import { run, shq, type GatewaySession } from '../gateways/session';
import { listFiles } from './gateway-list';
import { writeCommandStream } from './gateway-stream';
import type { ManifestEntry } from './manifest';
import type { BackupRepository } from './repository';
import { tarOf } from './tar-writer';
import { verifyBackup } from './verify';

export interface GatewayRestoreOptions {
  /** Components to restore (default: every file component of the backup). */
  components?: string[];
  /** The target gateway's model: a backup of another model is refused before anything is written. */
  model?: string;
  /** Read the whole backup back first (default): a damaged one is refused before any write. */
  verifyFirst?: boolean;
  /**
   * A file that keeps its live content whatever the backup held (Rigger's status file: it says
   * what the slots hold now, not on the backup's day).
   */
  keepCurrent?: string;
  onProgress?: (p: {
    path: string;
    step: 'staging' | 'proving' | 'swapping';
    bytes: number;
  }) => void;
}

export interface GatewayRestoreResult {
  restored: string[];
  files: number;
  bytes: number;
}

const parentOf = (p: string) => p.slice(0, p.lastIndexOf('/')) || '/';
const baseOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);
/** The staging folder beside a path: same filesystem, so the swap is a rename. */
const stageOf = (p: string) => `${parentOf(p)}/.${baseOf(p)}.rigger-restore`;
const oldOf = (p: string) => `${parentOf(p)}/.${baseOf(p)}.rigger-old`;

/**
 * Restore a backup's file components onto the gateway, path by path: the path's entries are
 * streamed as tar into a staging folder beside it, the gateway hashes what landed and every
 * file must match the manifest, and only then is the path swapped in by two renames (the old
 * one removed after). A failure before the swap leaves the path wholly old; the error says
 * which paths are already restored.
 */
export async function restoreToGateway(
  session: GatewaySession,
  repo: BackupRepository,
  id: string,
  opts: GatewayRestoreOptions = {},
): Promise<GatewayRestoreResult> {
  const { manifest } = repo.load(id);
  if (opts.model !== undefined && opts.model !== manifest.gateway.model)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Backup ${id} is of a ${manifest.gateway.model} gateway, not of this ${opts.model}`,
      { backup_model: manifest.gateway.model, gateway_model: opts.model },
      ['Choose a backup of this gateway model'],
    );
  if (opts.verifyFirst !== false) {
    const v = await verifyBackup(repo, id);
    if (!v.verified)
      throw new RiggerError(
        'RESTORE_FAILED',
        `Backup ${id} is damaged: nothing was written to the gateway (${v.errors[0] ?? 'verification failed'})`,
        { errors: v.errors.slice(0, 20), restored: [], integrity: 'failed' },
        ['Restore from another backup', 'If the backup was copied, copy it again'],
      );
  }
  const objects = repo.objects(manifest.encryption.enabled);
  const names = opts.components ?? Object.keys(manifest.components);
  const restored: string[] = [];
  let files = 0;
  let bytes = 0;
  for (const name of names) {
    const c = manifest.components[name];
    if (!c)
      throw new RiggerError('VALIDATION_ERROR', `Backup ${id} holds no component ${name}`, {
        components: Object.keys(manifest.components),
      });
    for (const path of c.paths) {
      const entries = manifest.entries.filter(
        (e) => e.component === name && (e.path === path || e.path.startsWith(`${path}/`)),
      );
      const top = entries.find((e) => e.path === path);
      if (top?.type !== 'dir')
        throw new RiggerError('RESTORE_FAILED', `${path} is not a folder in backup ${id}`, {
          path,
        });
      try {
        const r = await restorePath(session, objects, path, entries, opts);
        files += r.files;
        bytes += r.bytes;
        restored.push(path);
      } catch (err) {
        const e = err instanceof RiggerError ? err : new RiggerError('RESTORE_FAILED', String(err));
        throw new RiggerError(
          'RESTORE_FAILED',
          `Restoring ${path} failed (it is as it was): ${e.message}`,
          {
            ...e.details,
            path,
            restored,
            not_restored: pending(manifest.components, names, restored),
          },
          ['Check the link to the gateway, then restore again'],
        );
      }
    }
  }
  return { restored, files, bytes };
}

function pending(
  components: Record<string, { paths: string[] }>,
  names: string[],
  done: string[],
): string[] {
  return names.flatMap((n) => components[n]?.paths ?? []).filter((p) => !done.includes(p));
}

async function restorePath(
  session: GatewaySession,
  objects: ReturnType<BackupRepository['objects']>,
  path: string,
  entries: ManifestEntry[],
  { onProgress, keepCurrent }: GatewayRestoreOptions,
): Promise<{ files: number; bytes: number }> {
  const stage = stageOf(path);
  let bytes = 0;
  onProgress?.({ path, step: 'staging', bytes });
  // umask 0: the modes in the archive land as they are; as root, tar keeps the owners too.
  const { stdin, done } = await writeCommandStream(
    session,
    `rm -rf ${shq(stage)} && mkdir -p ${shq(stage)} && cd ${shq(stage)} && umask 0 && tar xf -`,
  );
  const sent = pipeline(
    Readable.from(tarOf(entries, path, objects, (n) => (bytes += n))),
    stdin,
  ).catch((e: unknown) => e as Error);
  const [r, s] = await Promise.all([done, sent]);
  if (s instanceof Error) {
    // The archive broke off (damaged content, say): the half-filled stage goes, if it can.
    await run(session, `rm -rf ${shq(stage)}`).catch(() => undefined);
    throw s;
  }
  if (r.code !== 0)
    throw new RiggerError(
      'COMMAND_FAILED',
      `The gateway could not unpack into ${stage}: ${r.stderr.toString('utf8').trim().slice(-300)}`,
      { stage },
    );
  onProgress?.({ path, step: 'proving', bytes });
  const listed = (await listFiles(session, [stage])).files;
  const wanted = entries.filter((e) => e.type === 'file' || e.type === 'hardlink');
  const bad = wanted.filter((e) => listed.get(stage + e.path.slice(path.length)) !== e.sha256);
  if (bad.length || listed.size !== wanted.length) {
    await run(session, `rm -rf ${shq(stage)}`).catch(() => undefined);
    throw new RiggerError(
      'RESTORE_FAILED',
      `What landed in ${stage} does not match the backup (${bad.length} file(s) differ, ${listed.size} listed of ${wanted.length})`,
      { differ: bad.slice(0, 20).map((e) => e.path) },
    );
  }
  if (keepCurrent?.startsWith(`${path}/`)) {
    // The live copy goes in (or the staged one goes, when there is none live).
    const staged = stage + keepCurrent.slice(path.length);
    const [L, T] = [shq(keepCurrent), shq(staged)];
    await run(
      session,
      `if [ -e ${L} ]; then mkdir -p ${shq(parentOf(staged))} && cat ${L} > ${T}.new && mv ${T}.new ${T}; else rm -f ${T}; fi`,
    );
  }
  onProgress?.({ path, step: 'swapping', bytes });
  const old = oldOf(path);
  // If the second rename fails the first is undone: the path is never left missing.
  const [P, S, O] = [shq(path), shq(stage), shq(old)];
  await run(
    session,
    `rm -rf ${O} && if [ -e ${P} ]; then mv ${P} ${O} || exit 1; fi; ` +
      `if mv ${S} ${P}; then rm -rf ${O}; else if [ -e ${O} ]; then mv ${O} ${P}; fi; exit 1; fi`,
    { timeoutMs: 600_000 },
  );
  return { files: wanted.length, bytes };
}
