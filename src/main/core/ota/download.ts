import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import type { JobBody, JobContext } from '../jobs/engine';
import type { LibraryImage } from '../../../shared/images';
import type { GatewayStatus } from '../../../shared/status';
import type { SlotTransfer, WritePlan } from '../slots/contract';
import { deltaWrite } from '../slots/delta-write';
import { nowIso } from '../util/time';
import { checkImage, pickTarget } from './checks';
import { gatewayLink } from '../slots/gateway-link';
import { writeSlot } from '../slots/slot-writer';
import { librarySource } from '../slots/sources';
import { wireOf } from '../slots/wire-choice';
import { rebuildDelta } from './delta-source';
import { planWrite } from './update-plan';
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
    const way = await wayFor(ctx, d, gateway, image, { target, booted, seen }, (reason) =>
      d.events.emit({
        type: 'system_event',
        event: 'wire_chosen',
        message: `${gateway}: ${reason}`,
        timestamp: nowIso(),
      }),
    );
    const written = await writeSlot({
      ctx,
      link,
      plan: way.plan,
      transfer: way.transfer,
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
 * slots the gateway's own hash proved. A resumed job keeps the way it chose (its checkpoints hold
 * for it); a delta is built again from the same library images.
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
  const journaled = st.delta as Parameters<typeof rebuildDelta>[3] | undefined;
  if (st.wire === 'delta' && journaled) {
    return { plan: await rebuildDelta(d, image, slots.booted, journaled), transfer: deltaWrite };
  }
  if (st.wire === 'raw' || st.wire === 'gzip') {
    return wireOf(st.wire, String(st.wire_reason ?? ''), librarySource(d.images, image.id));
  }
  const way = await ctx.step('measure_link', () =>
    planWrite(d, gateway, image, slots.target, slots.seen),
  );
  const a = way.answer;
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
    delta: way.delta,
    bytes_written: image.size,
  });
  return way;
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
