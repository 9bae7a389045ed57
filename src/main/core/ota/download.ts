import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import type { JobBody, JobContext } from '../jobs/engine';
import type { LibraryImage } from '../../../shared/images';
import type { GatewayStatus } from '../../../shared/status';
import type { UpdatePlan } from '../../../shared/update-plan';
import type { GatewaySession } from '../gateways/session';
import type { SlotTransfer, WritePlan } from '../slots/contract';
import { deltaWrite } from '../slots/delta-write';
import { nowIso } from '../util/time';
import { checkImage, pickTarget } from './checks';
import { gatewayLink } from '../slots/gateway-link';
import { writeSlot } from '../slots/slot-writer';
import { librarySource } from '../slots/sources';
import { wireOf } from '../slots/wire-choice';
import { rebuildDelta } from './delta-source';
import { planWrite, type DeltaFacts } from './update-plan';
import { isBasisRefused, proveSlots, slotsRead } from './slot-basis';
import type { OtaDeps } from './context';

export interface DownloadParams {
  image_id: string;
  version: string;
  target_partition?: SlotId;
  allow_unsigned: boolean;
  verify_signature: boolean;
}

/**
 * The download phase: checks and safety, then the verified slot writer (target made
 * unbootable, image streamed with checkpoints, the gateway's own read-back equal to the
 * manifest, then the status file). Resumable at every step.
 */
export function downloadBody(d: OtaDeps, gateway: string, p: DownloadParams): JobBody {
  return async (ctx) => {
    const src = librarySource(d.images, p.image_id);
    const image = src.image;
    ctx.setStatus('verifying', 'checking_image_and_gateway');
    let seen: GatewayStatus | undefined;
    const { booted, target } = await ctx.step('check_gateway', async () => {
      const status = (seen = await d.gateways.status(gateway, 'pinned-only'));
      const { profile } = await d.gateways.session(gateway);
      const prev = ctx.row().state.target as SlotId | undefined;
      const picked = pickTarget(status, prev ?? p.target_partition);
      checkImage(image, status, profile, picked.target, {
        allowUnsigned: p.allow_unsigned,
        verifySignature: p.verify_signature,
      });
      return picked;
    });
    ctx.state({ target, booted, phase: 'download', resumable: true });
    if (image.signature === 'unsigned') {
      d.audit.record({
        action: 'ota.unsigned_image',
        outcome: 'ok',
        details: { gateway, image: image.id, job: ctx.id },
      });
    }
    await ctx.step('safety_check_write', () => d.safety.check(gateway, 'writing the slot'));

    const link = gatewayLink(d.gateways, gateway);
    const told = (reason: string) =>
      d.events.emit({
        type: 'system_event',
        event: 'wire_chosen',
        message: `${gateway}: ${reason}`,
        timestamp: nowIso(),
      });
    const way = await wayFor(ctx, d, gateway, image, { target, booted, seen }, told);
    const write = (w: { plan: WritePlan; transfer: SlotTransfer }) =>
      writeSlot({
        ctx,
        link,
        plan: w.plan,
        transfer: w.transfer,
        source: src,
        target,
        booted,
        record: { version: p.version, image_id: image.id },
        timings: d.timings,
        journal: {
          steps: {
            disable: 'disable_target',
            write: 'write_image',
            verify: 'verify_readback',
            record: 'record_status_file',
          },
          disabledKey: 'disabled',
          writing: { status: 'downloading', operation: 'writing_image' },
        },
        sentMismatch: (actual) =>
          new RiggerError(
            'OTA_007',
            'The image read from the library does not match its manifest',
            { expected: `sha256:${image.sha256}`, actual: `sha256:${actual}`, where: 'library' },
            ['Verify the image in the library', 'Re-import it'],
          ),
        readBackMismatch: (actual) => {
          // Planned again on a resume: a delta's kept blocks are not trusted twice.
          ctx.state({ wire: null, delta: null });
          return new RiggerError(
            'OTA_007',
            `Slot ${target} does not hold the image: the gateway read back a different SHA-256`,
            {
              expected: `sha256:${image.sha256}`,
              actual: `sha256:${actual}`,
              slot: target,
              resolution: 'Rewrite required',
            },
            [
              'Run the update again: the slot is rewritten from the start',
              'Check the storage of the gateway',
            ],
          );
        },
        onLinkRetry: (err, at) =>
          d.events.emit({
            type: 'system_event',
            event: 'link_retry',
            message: `Link to ${gateway} dropped (${(err as Error).message}); resuming at byte ${at}`,
            timestamp: nowIso(),
          }),
        onVerified: () => ctx.state({ verified: true }),
      });
    const written = await write(way).catch(async (err: unknown) => {
      if (!isBasisRefused(err)) throw err;
      // A slot did not hold what its status file claimed: nothing was placed; the full image
      // goes instead, into the target that is still unbootable.
      ctx.state({ wire: null, delta: null, checkpoints: [] });
      return write(await fullWay(ctx, d, gateway, image, err.message, told));
    });
    ctx.progress(image.size, image.size, 0, 100);
    return {
      message: `Image ${image.version} written to slot ${target} and verified`,
      result: {
        target,
        sha256: image.sha256,
        resumed_from: written.resumedFrom,
        ...wireFacts(ctx, written.bytesOnWire),
      },
    };
  };
}

/**
 * The way this job writes, planned once and journaled: full raw, full gzip, or a delta from the
 * slots the status file names, their hashes proven by the gateway beside the staging (journaled
 * once proven). A resumed job keeps the way it chose (its checkpoints hold for it); a delta is
 * built again from the same library images, and proven again if it had not been yet.
 */
async function wayFor(
  ctx: JobContext,
  d: OtaDeps,
  gateway: string,
  image: LibraryImage,
  slots: { target: SlotId; booted: SlotId; seen?: GatewayStatus },
  told: (reason: string) => void,
): Promise<{ plan: WritePlan; transfer: SlotTransfer }> {
  const st = ctx.row().state;
  const journaled = st.delta as DeltaFacts | undefined;
  if (st.wire === 'delta' && journaled) {
    const plan = await rebuildDelta(d, image, slots.booted, journaled);
    if (journaled.proven) return { plan, transfer: deltaWrite };
    const { profile } = await d.gateways.session(gateway);
    const named = (slot: SlotId, id: string | null) => ({
      slot,
      image: id ? d.images.get(id) : null,
    });
    const claims = slotsRead(
      plan.ranges,
      named(slots.target, journaled.target_image),
      named(slots.booted, journaled.booted_image),
    );
    const prove = proveSlots(profile, claims);
    return { plan: { ...plan, prove: journalProof(ctx, prove) }, transfer: deltaWrite };
  }
  if (st.wire === 'raw' || st.wire === 'gzip') {
    return wireOf(st.wire, String(st.wire_reason ?? ''), librarySource(d.images, image.id));
  }
  const way = await ctx.step('measure_link', () =>
    planWrite(d, gateway, image, slots.target, slots.seen, { defer: true }),
  );
  await journalWay(ctx, way.answer, way.delta, told, image.size);
  const prove = way.plan.prove;
  return prove ? { ...way, plan: { ...way.plan, prove: journalProof(ctx, prove) } } : way;
}

/** The full write after a delta was refused: planned (and journaled) as a full one. */
async function fullWay(
  ctx: JobContext,
  d: OtaDeps,
  gateway: string,
  image: LibraryImage,
  why: string,
  told: (reason: string) => void,
): Promise<{ plan: WritePlan; transfer: SlotTransfer }> {
  const way = await ctx.step('measure_link', () =>
    planWrite(d, gateway, image, ctx.row().state.target as SlotId, undefined, { noDelta: why }),
  );
  await journalWay(ctx, way.answer, null, told, image.size);
  return way;
}

/** The slots' proof, journaled once it passed: a resumed job places without proving again. */
function journalProof(
  ctx: JobContext,
  prove: (session: GatewaySession) => Promise<void>,
): (session: GatewaySession) => Promise<void> {
  let done = false;
  return async (session) => {
    if (done) return;
    await prove(session);
    done = true;
    ctx.state({ delta: { ...(ctx.row().state.delta as DeltaFacts), proven: true } });
  };
}

/** The way chosen, as the job's `choose_wire` step and state, and told to whoever listens. */
async function journalWay(
  ctx: JobContext,
  a: UpdatePlan,
  delta: DeltaFacts | null,
  told: (reason: string) => void,
  size: number,
): Promise<void> {
  const wire = a.path === 'delta' ? 'delta' : a.wire;
  const facts = {
    wire,
    path: a.path,
    reason: a.reason,
    summary: a.summary,
    fallback: a.fallback,
    link_rate: a.rates.link_rate,
    gunzip_rate: a.rates.gunzip_rate,
    bytes_on_wire_planned: a.bytes_on_wire,
    basis: a.basis,
  };
  await ctx.step('choose_wire', async () => facts, facts);
  told(a.path === 'delta' ? `delta: ${a.summary}; ${a.reason}` : a.reason);
  ctx.state({
    wire,
    wire_reason: a.reason,
    plan_summary: a.summary,
    delta,
    bytes_written: size,
  });
}

/** What the write moved: the slot's bytes and what crossed the link, kept for the job's views. */
function wireFacts(ctx: JobContext, bytesOnWire: number) {
  const st = ctx.row().state;
  const facts = {
    bytes_written: Number(st.bytes_written ?? 0),
    // This run's: a job resumed after a crash counts what it sent since.
    bytes_on_wire: bytesOnWire,
    wire: st.wire,
    wire_reason: st.wire_reason,
    plan_summary: st.plan_summary,
  };
  ctx.state({ bytes_on_wire: facts.bytes_on_wire });
  return facts;
}
