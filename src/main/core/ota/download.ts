import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { schemeFor } from '../bootloader/scheme';
import type { JobBody } from '../jobs/engine';
import { nowIso } from '../util/time';
import { checkImage, pickTarget } from './checks';
import { streamingSession, type OtaDeps } from './context';
import { writeEnv } from './env-write';
import { imageSource } from './image-source';
import { retryOnLink } from './link-retry';
import { writeSlotRecord } from './status-record';
import { BLOCK, gatewayPrefixHash, recent, writeImage, type Checkpoint } from './writer';

export interface DownloadParams {
  image_id: string;
  version: string;
  target_partition?: SlotId;
  allow_unsigned: boolean;
  verify_signature: boolean;
}

/**
 * The download phase: checks, target made unbootable, image streamed with checkpoints, the
 * gateway's own read-back equal to the manifest, then the status file. Resumable at every step.
 */
export function downloadBody(d: OtaDeps, gateway: string, p: DownloadParams): JobBody {
  return async (ctx) => {
    const src = imageSource(d.images, p.image_id);
    const image = src.image;
    ctx.setStatus('verifying', 'checking_image_and_gateway');
    const { booted, target } = await ctx.step('check_gateway', async () => {
      const status = await d.gateways.status(gateway, 'pinned-only');
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

    const { profile, session } = await streamingSession(d, gateway);
    if (!ctx.row().state.disabled) {
      await ctx.step(
        'disable_target',
        async () => {
          await writeEnv(
            session,
            profile,
            schemeFor(profile).disable(target, booted, profile),
            'make-unbootable',
          );
          // The slot's old contents are going: its record must not claim them any longer.
          await writeSlotRecord(session, profile, target, null);
        },
        { target, booted },
      );
      ctx.state({ disabled: true });
    }

    const device = profile.slots[target].device;
    ctx.setStatus('downloading', 'writing_image');
    const every = Math.max(BLOCK, Math.floor(d.timings.checkpointBytes / BLOCK) * BLOCK);
    let checkpoints = (ctx.row().state.checkpoints as Checkpoint[] | undefined) ?? [];
    const written = await ctx.step(
      'write_image',
      () =>
        writeImage({
          session: async () => (await streamingSession(d, gateway)).session,
          drop: () => d.gateways.forget(gateway),
          device,
          source: src,
          every,
          known: checkpoints,
          signal: ctx.signal,
          maxRetries: d.timings.writeRetries,
          backoffMs: (n) => Math.min(10_000, 500 * 2 ** n),
          onProgress: (bytes, speed) => ctx.progress(bytes, image.size, speed),
          onCheckpoint: (cp) => {
            checkpoints = recent([...checkpoints, cp]);
            ctx.state({ checkpoints }); // journaled: a crashed app resumes from here
          },
          onRetry: (err, at) => {
            ctx.count('retries');
            ctx.count('errors');
            d.events.emit({
              type: 'system_event',
              event: 'link_retry',
              message: `Link to ${gateway} dropped (${(err as Error).message}); resuming at byte ${at}`,
              timestamp: nowIso(),
            });
          },
        }),
      { device, size: image.size },
    );
    if (written.sha256 !== image.sha256) {
      throw new RiggerError(
        'OTA_007',
        'The image read from the library does not match its manifest',
        {
          expected: `sha256:${image.sha256}`,
          actual: `sha256:${written.sha256}`,
          where: 'library',
        },
        ['Verify the image in the library', 'Re-import it'],
      );
    }
    ctx.setStatus('verifying', 'verifying_written_slot');
    await ctx.step('verify_readback', async () => {
      const actual = await retryOnLink(d, gateway, ctx.signal, (s) =>
        gatewayPrefixHash(s, device, image.size),
      );
      if (actual !== image.sha256) {
        ctx.state({ checkpoints: [] });
        throw new RiggerError(
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
      }
    });
    ctx.state({ verified: true, checkpoints: [] });
    await ctx.step('record_status_file', async () => {
      const { session: s } = await streamingSession(d, gateway);
      await writeSlotRecord(s, profile, target, {
        version: p.version,
        sha256: image.sha256,
        size: image.size,
        installed_at: nowIso(),
        image_id: image.id,
      });
    });
    ctx.progress(image.size, image.size, 0, 100);
    return {
      message: `Image ${image.version} written to slot ${target} and verified`,
      result: { target, sha256: image.sha256, resumed_from: written.resumedFrom },
    };
  };
}
