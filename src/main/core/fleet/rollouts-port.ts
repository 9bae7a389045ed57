import { RiggerError } from '../../../shared/errors';

/** How an update job of one gateway ended, as the rollout sees it. */
export type UpdateOutcome = 'success' | 'failed' | 'cancelled' | 'postponed';

/**
 * How a rollout drives one gateway's update, without knowing the OTA internals: the core's
 * download + install behind `start`, the job's end behind `wait`. `wait` is called again for a
 * job after a restart, so it must work from the job id alone.
 */
export interface UpdatePort {
  start(gateway: string, imageId: string): Promise<string>;
  wait(jobId: string): Promise<UpdateOutcome | { outcome: UpdateOutcome; reason?: string | null }>;
}

/** A gateway's own maintenance window: closed means its update waits until `opens_at`. */
export type WindowOf = (gateway: string) => { open: boolean; opens_at: string | null };

/**
 * Errors that mean "not now" rather than "this gateway failed": a crane in motion (OTA_002), the
 * maintenance window (OTA_015), another job on the gateway (OTA_001, OTA_014).
 */
export const POSTPONING_CODES = new Set(['OTA_001', 'OTA_002', 'OTA_014', 'OTA_015']);

/** Does this error postpone a gateway instead of failing it? */
export function postpones(err: unknown): err is RiggerError {
  return err instanceof RiggerError && POSTPONING_CODES.has(err.code);
}

/** An error as one line for a target's `reason`. */
export function reasonOf(err: unknown): string {
  if (err instanceof RiggerError) return `${err.code}: ${err.message}`.slice(0, 500);
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}
