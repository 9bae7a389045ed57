import type { Profile } from '../../../shared/profile';
import type { AuditLog } from '../audit';
import type { CoreEvents } from '../events';
import type { GatewayService } from '../gateways/service';
import { streaming, type StreamingSession } from '../gateways/session';
import type { ImageService } from '../images/service';
import type { JobContext, JobEngine } from '../jobs/engine';
import type { SafetyService } from '../safety/service';
import type { SettingsService } from '../settings';

/** How long Rigger waits for things that take the gateway's time; tests shorten them. */
export interface OtaTimings {
  /** Bound on the wait for the gateway to come back after a reboot. */
  rebootWaitMs: number;
  /** A gateway still answering unrebooted this long after the reboot command gets it again. */
  rebootStillUpMs: number;
  /** Bound on the wait for health_check to pass on the new slot. */
  healthWaitMs: number;
  /** Bound on a safety pause before the job gives up. */
  safetyWaitMs: number;
  /** How often a paused or waiting job polls. */
  pollMs: number;
  /** Link retries of one write before the job stops (resumable). */
  writeRetries: number;
  /** Checkpoint spacing of the write, bytes. */
  checkpointBytes: number;
}

export const DEFAULT_TIMINGS: OtaTimings = {
  rebootWaitMs: 5 * 60_000,
  rebootStillUpMs: 60_000,
  healthWaitMs: 2 * 60_000,
  safetyWaitMs: 30 * 60_000,
  pollMs: 3000,
  writeRetries: 8,
  checkpointBytes: 4 * 1024 * 1024,
};

/** What every job flow on a gateway uses: sessions, the job engine, safety waits, the record. */
export interface JobFlowDeps {
  gateways: GatewayService;
  safety: SafetyService;
  engine: JobEngine;
  events: CoreEvents;
  audit: AuditLog;
  settings: SettingsService;
  timings: OtaTimings;
}

/** Take a verified `pre-ota` backup of the gateway inside a running job (the backup area's). */
export type SnapshotPort = (
  gateway: string,
  ctx: JobContext,
  description: string,
) => Promise<{ backup_id: string }>;

/** Everything the OTA flows use: the job flow's pieces, the image library, the pre-OTA backup port. */
export interface OtaDeps extends JobFlowDeps {
  images: ImageService;
  snapshot: SnapshotPort;
}

/** A session that declares both streams (SSH); the serial console cannot carry a fast write. */
export async function streamingSession(
  d: Pick<JobFlowDeps, 'gateways'>,
  gateway: string,
): Promise<{ profile: Profile; session: StreamingSession }> {
  const { profile, session } = await d.gateways.session(gateway);
  return { profile, session: streaming(session, gateway) };
}

/** Sleep, ending early (without throwing) when the signal aborts (the writer's own sleep). */
export { sleep as pause } from '../slots/retry';
