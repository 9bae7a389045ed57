import { RiggerError } from '../../../shared/errors';
import type { GatewaySession } from '../gateways/session';
import { readCommandStream } from './gateway-stream';
import { checkListing, ingestTar, type IngestResult } from './tar-ingest';
import type { BackupWriter } from './writer';

/** The error of a cancelled backup (the job says "cancelled" from its details). */
export const backupCancelled = () =>
  new RiggerError('BACKUP_FAILED', 'The backup was cancelled', { cancelled: true });

export interface GatewayTarRead {
  /** The `tar cf -` to run on the gateway (from `/`). */
  command: string;
  component: string;
  /** The gateway's SHA-256 of every file the archive must hold, by path; it may still be coming. */
  listing: Promise<Map<string, string>>;
  writer: BackupWriter;
  onBytes?: (n: number) => void;
  /** A cancel closes the archive's channel at once: nothing more is read. */
  signal?: AbortSignal;
  /** The error when the gateway's tar exits non-zero (with the end of its stderr). */
  failed(code: number | null, stderr: string): RiggerError;
}

/**
 * Read one `tar` stream from the gateway into the store (tar-ingest.ts): each file checked
 * against the listing as soon as both are in, and all of them before this returns. Everything
 * settles before anything is decided (a put still writing must finish or clean up before the
 * caller aborts its writer); a cancel wins over the errors the closed channel then causes.
 */
export async function readGatewayTar(
  session: GatewaySession,
  r: GatewayTarRead,
): Promise<IngestResult> {
  let listed: Map<string, string> | null = null;
  // Settled from the start: if the archive cannot even begin, nothing is left running.
  const listing = r.listing.then(
    (l) => (listed = l),
    (e: unknown) => e as Error,
  );
  if (r.signal?.aborted) {
    await listing;
    throw backupCancelled();
  }
  const { stdout, done } = await readCommandStream(session, r.command).catch(async (e: unknown) => {
    await listing;
    throw e;
  });
  const onAbort = () => stdout.destroy(new Error('cancelled'));
  r.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const [res, got, list] = await Promise.all([
      done.catch((e: unknown) => e as Error),
      ingestTar(stdout, r.component, () => listed, r.writer, r.onBytes).catch(
        (e: unknown) => e as Error,
      ),
      listing,
    ]);
    if (r.signal?.aborted) throw backupCancelled();
    if (res instanceof Error) throw res;
    if (list instanceof Error) throw list;
    if (got instanceof Error) throw got;
    if (res.code !== 0) throw r.failed(res.code, res.stderr.toString('utf8').trim().slice(-500));
    checkListing(got.entries, list);
    return got;
  } finally {
    r.signal?.removeEventListener('abort', onAbort);
  }
}
