import { RiggerError } from '../../../shared/errors';
import { schemeFor } from '../bootloader/scheme';
import { writeEnv } from '../ota/env-write';
import { nowIso } from '../util/time';
import type { Checkpoint, SlotWriteRequest, SlotWriteResult } from './contract';
import { checkPlan, fullPlan } from './plan';
import { BLOCK, gatewayPrefixHash, newestOffset, recent } from './read-back';
import { linkBackoffMs, retryOnLink } from './retry';
import { watchStall, type LinkRetry } from './stall-watch';
import { writeSlotRecord } from './status-record';
import { streamedFullWrite } from './streamed-write';

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Write `source` into slot `target` (never the booted one) and prove it, each step journaled:
 * the target made unbootable and its record cleared, the bytes moved by the transfer with
 * checkpoints, Rigger's own hash of what it sent equal to the source's, the gateway's read-back
 * of the whole range equal to it too, then the status record. A resumed job continues from the
 * last checkpoint the gateway proves. The slot is not selected: that is the caller's next step.
 */
export async function writeSlot(req: SlotWriteRequest): Promise<SlotWriteResult> {
  const { ctx, link, source, target, booted, journal } = req;
  const plan = req.plan ?? fullPlan(source.size);
  const transfer = req.transfer ?? streamedFullWrite;
  checkPlan(plan, source.size);
  if (!transfer.carries(plan)) {
    throw new RiggerError('INTERNAL', `The ${transfer.name} transfer cannot carry this plan`, {
      reason: plan.reason,
    });
  }
  const { profile, session } = await link.open();
  const missing = transfer.needs.filter((c) => !session.capabilities[c]);
  if (missing.length) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The connection to ${session.target} cannot carry this write (no ${missing.join(', ')})`,
      { transport: session.kind, missing },
      ['Reach the gateway over SSH'],
    );
  }
  if (!ctx.row().state[journal.disabledKey]) {
    await ctx.step(
      journal.steps.disable,
      async () => {
        const vars = schemeFor(profile).disable(target, booted, profile);
        await writeEnv(session, profile, vars, 'make-unbootable');
        // The slot's old contents are going: its record must not claim them any longer.
        await writeSlotRecord(session, profile, target, null);
      },
      { target, booted },
    );
    ctx.state({ [journal.disabledKey]: true });
  }

  const device = profile.slots[target].device;
  const every = Math.max(BLOCK, Math.floor(req.timings.checkpointBytes / BLOCK) * BLOCK);
  let checkpoints = (ctx.row().state.checkpoints as Checkpoint[] | undefined) ?? [];
  ctx.setStatus(journal.writing.status, journal.writing.operation);
  const max = req.timings.writeRetries;
  const stall = watchStall(ctx, source.size, newestOffset(checkpoints));
  let retry: LinkRetry | null = null;
  const written = await ctx.step(
    journal.steps.write,
    () =>
      transfer
        .write({
          link,
          device,
          source,
          plan,
          every,
          known: checkpoints,
          signal: ctx.signal,
          maxRetries: req.timings.writeRetries,
          backoffMs: linkBackoffMs,
          sentMismatch: req.sentMismatch,
          onProgress: (bytes, speed, wire) =>
            stall.moved(bytes, speed, {
              wire: plan.wire,
              ...(wire === undefined ? {} : { bytes_on_wire: wire }),
            }),
          onCheckpoint: (cp) => {
            checkpoints = recent([...checkpoints, cp]);
            ctx.state({ checkpoints }); // journaled: a crashed app resumes from here
          },
          onLinkLost: (err, attempt, at) => {
            retry = { attempt, max_attempts: max, resume_at: at, error: messageOf(err) };
            stall.retrying(retry);
          },
          onRetry: (err, at) => {
            ctx.count('retries');
            ctx.count('errors');
            // The gateway proved where the write goes on from: say that byte, not the hoped one.
            if (retry) stall.retrying((retry = { ...retry, resume_at: at }));
            req.onLinkRetry?.(err, at);
          },
        })
        .finally(() => stall.stop()),
    { device, size: source.size, slot: target, wire: plan.wire, plan: plan.reason },
  );
  if (written.sha256 !== source.sha256) throw req.sentMismatch(written.sha256);

  ctx.setStatus('verifying', 'verifying_written_slot');
  await ctx.step(journal.steps.verify, async () => {
    const actual = await retryOnLink(
      link,
      max,
      ctx.signal,
      (s) => gatewayPrefixHash(s, device, source.size),
      (attempt, err) =>
        ctx.progress(source.size, source.size, 0, 100, {
          link_retry: { attempt, max_attempts: max, resume_at: source.size, error: messageOf(err) },
        }),
    );
    if (actual !== source.sha256) {
      ctx.state({ checkpoints: [] });
      throw req.readBackMismatch(actual);
    }
  });
  ctx.state({ checkpoints: [] });
  req.onVerified?.();
  await ctx.step(journal.steps.record, async () => {
    const { session: s } = await link.open();
    await writeSlotRecord(s, profile, target, {
      ...(req.record.version !== undefined ? { version: req.record.version } : {}),
      sha256: source.sha256,
      size: source.size,
      installed_at: nowIso(),
      image_id: req.record.image_id,
    });
  });
  return {
    target,
    device,
    sha256: source.sha256,
    size: source.size,
    resumedFrom: written.resumedFrom,
    bytesOnWire: written.bytesOnWire,
    plan,
  };
}
