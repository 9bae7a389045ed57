import type { LibraryImage } from '../../../shared/images';
import type { Profile, SlotId } from '../../../shared/profile';
import type { GatewayStatus } from '../../../shared/status';
import type { SlotBasis, UpdatePlan } from '../../../shared/update-plan';
import type { GatewaySession } from '../gateways/session';
import type { SlotRecord } from '../gateways/status-file';
import type { SlotSource, SlotTransfer, WritePlan } from '../slots/contract';
import { layoutOf, roomFor } from '../slots/delta-layout';
import { deltaWrite } from '../slots/delta-write';
import { readRecords } from '../slots/status-record';
import { librarySource } from '../slots/sources';
import { chooseWire } from '../slots/wire-choice';
import { chooseCompression } from '../transfer/compression-choice';
import { chooseUpdateMode } from '../transfer/update-mode';
import { checkImage, pickTarget } from './checks';
import type { OtaDeps } from './context';
import { streamingSession } from './context';
import { deltaWritePlan, payloadGzipSize } from './delta-source';
import { proveSlots, slotBasis, slotsRead, type KnownBasis } from './slot-basis';

/** A write decided: the answer shown before it, and what the writer takes. */
export interface PlannedWrite {
  answer: UpdatePlan;
  plan: WritePlan;
  transfer: SlotTransfer;
  /** Journaled so a resumed job rebuilds the same delta (and proves its slots, if not yet). */
  delta: DeltaFacts | null;
}

/** A delta as journaled: the images its slots hold, its wire, and whether they were proven. */
export interface DeltaFacts {
  target_image: string | null;
  booted_image: string | null;
  wire: 'raw' | 'gzip';
  proven: boolean;
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/**
 * Plan the write of `image` to the gateway's inactive slot: read the status file, prove what
 * each slot holds by the gateway's own hash, measure the link for the full write's way (raw or
 * gzip), and take a delta when a proven slot makes it worth it and it fits the target slot.
 * Reads only; nothing on the gateway changes. A job `defer`s the slots' hashes: its delta
 * plan carries them (`prove`), run beside the staging of the new blocks, before any is placed.
 */
export async function planWrite(
  d: Pick<OtaDeps, 'gateways' | 'images'>,
  gateway: string,
  image: LibraryImage,
  wanted?: SlotId,
  /** The gateway's status a job has just read (saves reading it again over a slow link). */
  seen?: GatewayStatus,
  /** `defer`: the slots' hashes travel with the plan; `noDelta`: why only a full write will do. */
  opts: { defer?: boolean; noDelta?: string } = {},
): Promise<PlannedWrite> {
  const status = seen ?? (await d.gateways.status(gateway, 'pinned-only'));
  const { profile, session } = await streamingSession(d, gateway);
  const { target, booted } = pickTarget(status, wanted);
  checkImage(image, status, profile, target, { allowUnsigned: true, verifySignature: false });
  const src = librarySource(d.images, image.id);
  // The link is probed only when a choice needs it: a delta of incompressible blocks does not.
  let probed: Awaited<ReturnType<typeof chooseWire>> | null = null;
  const probe = async () => (probed ??= await chooseWire(session, src));
  const estimate = chooseCompression({
    size: image.size,
    gzipSize: src.stored.compression === 'gzip' ? src.stored.size : null,
  });
  const records = (await readRecords(session, profile.status_file)) as Record<string, SlotRecord>;
  const basis = await slotBases(
    session,
    profile,
    records,
    { target, booted },
    d.images.list({}),
    !opts.defer && !opts.noDelta,
  );
  const answer = (
    a: Partial<UpdatePlan> & Pick<UpdatePlan, 'path' | 'summary' | 'reason' | 'bytes_on_wire'>,
  ) => ({
    gateway,
    image_id: image.id,
    version: image.version,
    target_partition: target,
    booted_partition: booted,
    fallback: null,
    bytes_total: image.size,
    wire: 'raw' as const,
    delta: null,
    basis: { target: strip(basis.target), booted: strip(basis.booted) },
    rates: {
      link_rate: probed?.rates.linkRate ?? null,
      gunzip_rate: probed?.rates.gunzipRate ?? null,
    },
    ...a,
  });
  const fullWrite = async (why: string): Promise<PlannedWrite> => {
    const full = await probe();
    return {
      answer: answer({
        bytes_on_wire: full.bytesOnWire,
        wire: full.choice,
        path: full.choice === 'gzip' ? 'full_gzip' : 'full_raw',
        summary: `${mb(full.bytesOnWire)} to send of ${mb(image.size)}: full write${full.choice === 'gzip' ? ', gzip on the wire' : ''}`,
        reason: `${full.reason}; no delta: ${why}`,
        fallback: why,
      }),
      plan: full.plan,
      transfer: full.transfer,
      delta: null,
    };
  };
  if (opts.noDelta) return fullWrite(opts.noDelta);
  if (!usable(basis.target) && !usable(basis.booted)) {
    return fullWrite(`${basis.target.detail}; ${basis.booted.detail}`);
  }
  const known = async (b: KnownBasis) => ({
    index: b.image ? await d.images.blockIndex(b.image.id) : null,
    proven: usable(b),
  });
  const next = await d.images.blockIndex(image.id);
  const mode = chooseUpdateMode({
    next,
    target: await known(basis.target),
    booted: await known(basis.booted),
    fullBytes: estimate.bytesOnWire,
  });
  if (mode.mode === 'full' || !mode.plan)
    return fullWrite(mode.reason.replace(/^full write: /, ''));
  const raw = deltaWritePlan(mode.plan, next, booted, 'raw', mode.reason);
  const layout = layoutOf(raw, image.size);
  if (!roomFor(layout, profile, target)) {
    return fullWrite(
      `slot ${target} has no room past the image to stage the delta's ${mb(layout.payload)}`,
    );
  }
  const wire = await deltaWire(src, raw, layout.payload, probe);
  // Claimed slots the plan reads: their hash is still to come.
  const claimed = (b: KnownBasis) => ({ slot: b.slot, image: b.claimed ? b.image : null });
  const claims = slotsRead(raw.ranges, claimed(basis.target), claimed(basis.booted));
  const plan = {
    ...raw,
    wire: wire.choice,
    ...(claims.length ? { prove: proveSlots(profile, claims) } : {}),
  };
  return {
    answer: answer({
      path: 'delta',
      summary: mode.reason.replace(/^delta: /, ''),
      reason: `delta from ${[basis.target, basis.booted]
        .filter(usable)
        .map((b) => b.detail)
        .join(' and ')}; ${wire.reason}`,
      bytes_on_wire: wire.bytesOnWire,
      wire: wire.choice,
      delta: {
        send_bytes: mode.plan.bytes.send,
        copy_bytes: mode.plan.bytes.copy,
        keep_bytes: mode.plan.bytes.skip,
        runs: mode.plan.ranges.filter((r) => r.kind !== 'skip').length,
      },
    }),
    plan,
    transfer: deltaWrite,
    delta: {
      target_image: usable(basis.target) ? basis.target.image_id : null,
      booted_image: usable(basis.booted) ? basis.booted.image_id : null,
      wire: wire.choice,
      proven: claims.length === 0,
    },
  };
}

const strip = ({ image: _image, claimed: _claimed, ...b }: KnownBasis): SlotBasis => b;

/** A slot a delta may use: proven by the gateway's hash, or claimed, its hash to come. */
const usable = (b: KnownBasis) => b.proven || b.claimed;

async function slotBases(
  session: GatewaySession,
  profile: Profile,
  records: Record<string, SlotRecord>,
  slots: { target: SlotId; booted: SlotId },
  library: LibraryImage[],
  hash: boolean,
) {
  // Two exec channels at once: the gateway hashes both slots side by side.
  const [target, booted] = await Promise.all([
    slotBasis(session, profile, slots.target, records[slots.target], library, hash),
    slotBasis(session, profile, slots.booted, records[slots.booted], library, hash),
  ]);
  return { target, booted };
}

/** Raw or gzip for the delta's payload: its own compressibility against the measured rates. */
async function deltaWire(
  src: SlotSource,
  plan: WritePlan,
  payload: number,
  probe: () => Promise<{ rates: { linkRate: number | null; gunzipRate: number | null } }>,
) {
  const gzipSize = await payloadGzipSize(src, plan, payload);
  const bytesAlone = chooseCompression({ size: payload, gzipSize });
  // Rates matter only when gzip would save something: then measure, as a full write does.
  const rates = bytesAlone.choice === 'gzip' ? (await probe()).rates : {};
  const c = chooseCompression({ size: payload, gzipSize, ...rates });
  return { ...c, reason: `the delta's blocks ${c.reason}` };
}
