import type { DdiFeedback, Execution, Finished, InstallOutcome } from '../../../shared/hawkbit';

/** hawkBit keeps at most this many details lines per status, each this long. */
const MAX_LINES = 50;
const MAX_LINE = 500;

/** One DDI feedback body at `at` (an ISO time). */
export function feedbackBody(
  at: string,
  execution: Execution,
  finished: Finished,
  details: string[],
  progress?: { cnt: number; of: number },
): DdiFeedback {
  return {
    time: at,
    timestamp: Date.parse(at),
    status: {
      execution,
      result: progress ? { finished, progress } : { finished },
      details: details.slice(0, MAX_LINES).map((l) => l.slice(0, MAX_LINE)),
    },
  };
}

/**
 * The `closed` feedback of an install done at the crane: its result, the reason and the
 * rollback in the details, every step with the time it happened, sent with the time it ended.
 */
export function installFeedback(o: InstallOutcome): DdiFeedback {
  const lines = o.steps.map((s) => `${s.at} ${s.line}`);
  if (o.reason) lines.push(`${o.result === 'success' ? 'note' : 'failed'}: ${o.reason}`);
  if (o.rollback) lines.push(`rolled back to ${o.rollback.to_version} at ${o.rollback.at}`);
  lines.push(
    o.result === 'success'
      ? `installed ${o.version} by Rigger at the crane, ${o.started_at} to ${o.finished_at}`
      : `install of ${o.version} by Rigger at the crane failed, ${o.started_at} to ${o.finished_at}`,
  );
  const n = Math.max(o.steps.length, 1);
  return feedbackBody(o.finished_at, 'closed', o.result, lines, {
    cnt: o.result === 'success' ? n : o.steps.length,
    of: n,
  });
}

/** The answer to a cancel request: accepted (`canceled`) or refused (`rejected`). */
export function cancelAnswer(at: string, accepted: boolean, why: string): DdiFeedback {
  return accepted
    ? feedbackBody(at, 'canceled', 'success', [why])
    : feedbackBody(at, 'rejected', 'none', [why]);
}
