import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { run, shq, type GatewaySession } from '../gateways/session';
import { readCommandStream } from './gateway-stream';
import type { ManifestSystem } from './manifest';
import type { BackupWriter } from './writer';

/** What is known of the booted slot before it is read. */
export interface SystemSlotRequest {
  slot: SlotId;
  device: string;
  /** The slot's size in bytes (the profile's `size_bytes`). */
  slot_size: number;
  /** The status file's record of the slot (null: none). */
  record: { version: string | null; size: number; sha256: string } | null;
  /** Does Rigger's image library hold an image with this SHA-256? */
  inLibrary: (sha256: string) => boolean;
}

/** SHA-256 of the first `size` bytes of a device, computed by the gateway itself. */
async function readBack(session: GatewaySession, device: string, size: number): Promise<string> {
  const out = await run(session, `head -c ${size} ${shq(device)} | sha256sum`, {
    timeoutMs: 3_600_000,
  });
  const m = /^([0-9a-f]{64})\b/.exec(out.trim());
  if (!m)
    throw new RiggerError('COMMAND_FAILED', `Unexpected sha256sum output: ${out.slice(0, 200)}`);
  return m[1]!;
}

/**
 * The `system` component. When the status file records the slot's image, the gateway's own
 * read-back of that range matches it, and the library holds that image, the backup records it
 * by SHA-256 and copies nothing. Otherwise the slot is read into the store: the recorded range
 * when the read-back proves it, else the whole slot, each checked against the gateway's hash.
 */
export async function backupSystemSlot(
  session: GatewaySession,
  writer: BackupWriter,
  req: SystemSlotRequest,
  onBytes?: (n: number) => void,
): Promise<ManifestSystem & { proven: boolean }> {
  const rec = req.record;
  const proven =
    !!rec &&
    rec.size <= req.slot_size &&
    (await readBack(session, req.device, rec.size)) === rec.sha256;
  if (proven && req.inLibrary(rec.sha256))
    return {
      slot: req.slot,
      version: rec.version,
      size: rec.size,
      image_sha256: rec.sha256,
      stored: false,
      proven,
    };
  const size = proven ? rec.size : req.slot_size;
  const sha = proven ? rec.sha256 : await readBack(session, req.device, size);
  if (!writer.known(sha)) {
    const { stdout, done } = await readCommandStream(session, `head -c ${size} ${shq(req.device)}`);
    async function* counted(): AsyncIterable<Buffer> {
      for await (const c of stdout as AsyncIterable<Buffer>) {
        onBytes?.(c.length);
        yield c;
      }
    }
    const [r, put] = await Promise.all([
      done.catch((e: unknown) => e as Error),
      writer
        .put(counted(), { sha256: sha, size, what: `slot ${req.slot} (${req.device})` })
        .catch((e: unknown) => e as Error),
    ]);
    if (r instanceof Error) throw r;
    // A failed read explains a short or mismatched stream: it is the error to report.
    if (r.code !== 0)
      throw new RiggerError(
        'COMMAND_FAILED',
        `The gateway could not read slot ${req.slot}: ${r.stderr.toString('utf8').trim().slice(-300)}`,
        { device: req.device },
      );
    if (put instanceof Error) throw put;
  }
  return {
    slot: req.slot,
    version: proven ? rec.version : null,
    size,
    image_sha256: sha,
    stored: true,
    proven,
  };
}
