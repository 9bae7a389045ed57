import { RiggerError } from '../../../shared/errors';
import { shq, type GatewaySession } from '../gateways/session';
import { listFiles } from './gateway-list';
import { backupCancelled, readGatewayTar } from './gateway-tar';
import type { BackupManifest, ManifestEntry } from './manifest';
import { MAX_CHANGED_BYTES, quickPlan, statListing } from './quick-check';
import type { IngestResult } from './tar-ingest';
import type { BackupWriter } from './writer';

/**
 * One component against the previous backup (quick-check.ts): the unchanged entries are taken
 * from it, the others hashed by the gateway and read in one `tar --no-recursion` of their names,
 * each checked against the gateway's hash. Null when the quick way does not apply here (the
 * listing could not be read for sure, or too much changed): then the whole component is read.
 * A cancel stops the reading at once (the caller's writer then removes what it had added).
 */
export async function quickComponent(
  session: GatewaySession,
  writer: BackupWriter,
  previous: BackupManifest,
  component: string,
  paths: string[],
  o: { onBytes?: (n: number) => void; signal?: AbortSignal } = {},
): Promise<IngestResult | null> {
  // Without its start time nothing of the previous backup can be trusted (quick-check.ts).
  if (!previous.started_at) return null;
  const lines = await statListing(session, paths);
  if (o.signal?.aborted) throw backupCancelled();
  if (!lines) return null;
  const plan = quickPlan(lines, previous, component, (sha) => writer.known(sha));
  const size = plan.changed.reduce((n, l) => n + l.name.length + 3, 0);
  // Much changed: one full read is cheaper than hashing file by file.
  const many = plan.changed.length > 256 && plan.changed.length * 4 > lines.length;
  if (size > MAX_CHANGED_BYTES || many) return null;
  let got: IngestResult = { entries: [], files: 0, bytes: 0 };
  if (plan.changed.length) {
    const files = plan.changed.filter((l) => l.type === '-').map((l) => l.path);
    // Listed first: with the hashes in, each file is checked (and known content only hashed)
    // as it comes.
    const listed = files.length
      ? (await listFiles(session, files)).files
      : new Map<string, string>();
    got = await readGatewayTar(session, {
      command: `cd / && tar cf - --no-recursion ${plan.changed.map((l) => shq(l.name)).join(' ')}`,
      component,
      listing: Promise.resolve(listed),
      writer,
      onBytes: o.onBytes,
      signal: o.signal,
      failed: (code, stderr) =>
        new RiggerError(
          'COMMAND_FAILED',
          `The gateway could not archive the changed files of ${component}: ${stderr}`,
          { exit_code: code, component },
          ['Back up again: files may have changed while they were read'],
        ),
    });
  }
  const fresh = new Map(got.entries.map((e) => [e.path, e]));
  const entries: ManifestEntry[] = [];
  let bytes = 0;
  let files = 0;
  for (const l of lines) {
    const got = fresh.get(l.path);
    // Names as the listing prints them (BusyBox's tar has no numeric listing): the next
    // backup compares them.
    const named = got && !/^\d+\/\d+$/.test(l.owner) ? { ...got, owner: l.owner } : got;
    const e = named ?? plan.reuse.get(l.path);
    if (!e)
      throw new RiggerError(
        'BACKUP_FAILED',
        `${l.path} was listed but did not come in the archive`,
        {
          path: l.path,
        },
      );
    entries.push(e);
    if (e.type === 'file' || e.type === 'hardlink') {
      files++;
      bytes += e.size;
    }
  }
  return { entries, files, bytes };
}
