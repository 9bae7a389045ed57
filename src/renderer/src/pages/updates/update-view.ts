import type { RiggerErrorData } from '../../../../shared/errors';
import { CANCELABLE_STATUSES, type JobOutcome } from '../../../../shared/jobs';
import type { UpdateProgress } from '../../../../shared/ota';
import { clockSeconds, seedClock } from '../../../../shared/format/time';

/** The named steps of an update and the core's operations that belong to each. */
export const STEPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Check', ['checking_image_and_gateway', 'pending']],
  ['Write', ['writing_image']],
  ['Verify', ['verifying_written_slot', 'ready_to_install']],
  ['Switch', ['safety_check', 'verifying_slot_before_switch', 'updating_bootloader']],
  ['Reboot', ['rebooting', 'waiting_for_gateway']],
  ['Health and commit', ['health_check', 'committing']],
];

/** Which of STEPS an operation is in; an unknown one counts as the first. */
export function stepIndex(operation: string): number {
  return Math.max(
    0,
    STEPS.findIndex(([, ops]) => ops.includes(operation)),
  );
}

/** The step to show: the operation's, never one before the step already reached. */
export const forwardStep = (reached: number, operation: string): number =>
  Math.max(reached, stepIndex(operation));

/** The progress view's heading: what runs, or plainly how it ended. */
export function runHeading(gateway: string, version: string, outcome: JobOutcome | null): string {
  if (outcome === 'success') return `Done: ${gateway} runs ${version}`;
  if (outcome === 'cancelled') return `The update of ${gateway} to ${version} was cancelled`;
  if (outcome === 'failed') return `The update of ${gateway} to ${version} did not finish`;
  return `Installing ${version} on ${gateway}`;
}

/**
 * Whether the progress view offers a cancel for a job in this status (nothing switched yet). An
 * interrupted job is not running: it is resumed, not cancelled, from here.
 */
export const cancelable = (status: string | undefined): boolean =>
  status !== 'interrupted' &&
  (CANCELABLE_STATUSES as readonly string[]).includes(status ?? 'pending');

/** The job's elapsed time now: as last read, plus the time since (the view ticks between events). */
export function elapsedNow(
  p: UpdateProgress | null,
  progressAt: number | null,
  now = Date.now(),
): string {
  const base = clockSeconds(p?.progress.elapsed);
  if (base === null) return p?.progress.elapsed ?? '00:00';
  return seedClock(base + Math.max(0, now - (progressAt ?? now)) / 1000);
}

export type OutcomeKind = 'committed' | 'rolled_back' | 'unreachable' | 'cancelled' | 'failed';

/** A finished update in plain words: what happened, why, and what to do next. */
export interface OutcomeView {
  kind: OutcomeKind;
  title: string;
  /** Why, in the gateway's terms (the rollback's reason, the core's message). */
  reason: string | null;
  actions: string[];
  /** The next step is the serial console: offer the Console page. */
  console: boolean;
  code: string | null;
}

/** Read the end of an update from its last progress and the job's message. */
export function outcomeOf(
  gateway: string,
  version: string,
  outcome: JobOutcome,
  progress: UpdateProgress | null,
  message: string | null,
): OutcomeView {
  const err = progress?.error ?? null;
  const details = (err?.details ?? {}) as Record<string, unknown>;
  const actions = Array.isArray(err?.suggested_actions)
    ? (err.suggested_actions as unknown[]).filter((a): a is string => typeof a === 'string' && !!a)
    : [];
  const code = typeof err?.code === 'string' ? err.code : null;
  const target = progress?.update.target_partition ?? '?';
  if (outcome === 'success') {
    return {
      kind: 'committed',
      title: `${gateway} runs ${version} from slot ${target}: booted, healthy, committed.`,
      reason: null,
      actions: [],
      console: false,
      code: null,
    };
  }
  if (outcome === 'cancelled') {
    return {
      kind: 'cancelled',
      title: 'Cancelled',
      reason: `${message ? `${message.replace(/\.$/, '')}. ` : ''}Nothing was switched: ${gateway} keeps running its current slot; slot ${target} stays unbootable.`,
      actions,
      console: false,
      code,
    };
  }
  const mentionsConsole = actions.some((a) => /serial console/i.test(a));
  if (details.rollback === true) {
    const back = typeof details.booted === 'string' ? details.booted : null;
    const why = typeof details.reason === 'string' ? details.reason : null;
    return {
      kind: 'rolled_back',
      title: back
        ? `Rolled back: ${gateway} is back on slot ${back}`
        : `Rolled back from slot ${target}`,
      reason: [why && `Reason: ${why}.`, message].filter(Boolean).join(' ') || null,
      actions,
      console: mentionsConsole,
      code,
    };
  }
  if (code === 'HOST_UNREACHABLE' && progress?.status !== 'downloading') {
    return {
      kind: 'unreachable',
      title: `${gateway} did not come back after the reboot`,
      reason: message,
      actions,
      console: true,
      code,
    };
  }
  return {
    kind: 'failed',
    title: 'The update did not finish',
    reason: message,
    actions,
    console: mentionsConsole,
    code,
  };
}

/** A PIN lockout read from a refused override: until when, and how long from `now`. */
export interface Lockout {
  until: string;
  minutesLeft: number;
}

/** The lockout in an OTA_010 refusal, if it is one. */
export function lockoutOf(err: RiggerErrorData | null, now: number): Lockout | null {
  if (!err || err.code !== 'OTA_010') return null;
  const until = (err.details as Record<string, unknown> | undefined)?.locked_until;
  if (typeof until !== 'string' || Number.isNaN(Date.parse(until))) return null;
  const ms = Date.parse(until) - now;
  if (ms <= 0) return null;
  return { until, minutesLeft: Math.ceil(ms / 60_000) };
}

/** Wrong PINs left before a lockout, from an OTA_010 refusal. */
export function attemptsLeft(err: RiggerErrorData | null): number | null {
  const n = (err?.details as Record<string, unknown> | undefined)?.attempts_left;
  return err?.code === 'OTA_010' && typeof n === 'number' ? n : null;
}
