import type { InstallOutcome } from '../../../shared/hawkbit';
import type { JobRow, StepRow } from '../jobs/store';

/**
 * An update job that ended as the courier reports it: what was installed, when it started and
 * ended, each step with its time, and the rollback when the gateway went back to its old slot.
 * Null for a job that installed nothing (a download alone, a refusal before the switch).
 */
export function installOutcomeOf(
  row: JobRow,
  steps: readonly StepRow[],
  opts: { actionId?: string; rolledBackTo?: string | null },
): InstallOutcome | null {
  if (row.type !== 'update' || row.subtype === 'download') return null;
  if (row.status !== 'success' && row.status !== 'failed') return null;
  const version = typeof row.params.version === 'string' ? row.params.version : null;
  if (!version) return null;
  // Refused before the boot slot switched (safety, the window): nothing was installed.
  const installed = row.status === 'success' || row.state.switched === true;
  if (!installed) return null;
  const finished = row.finished_at ?? row.updated_at;
  const details = row.error?.details ?? {};
  const rolledBack = row.status === 'failed' && (details.rollback === true || !!row.state.rollback);
  const rollbackStep = steps.find((s) => s.name === 'rollback');
  return {
    gateway: row.gateway,
    ...(opts.actionId ? { action_id: opts.actionId } : {}),
    version,
    result: row.status === 'success' ? 'success' : 'failure',
    started_at: row.started_at,
    finished_at: finished < row.started_at ? row.started_at : finished,
    ...(row.error ? { reason: row.error.message.slice(0, 2000) } : {}),
    ...(rolledBack
      ? {
          rollback: {
            to_version: (opts.rolledBackTo ?? 'the previous version').slice(0, 128),
            at: rollbackStep?.finished_at ?? rollbackStep?.started_at ?? finished,
          },
        }
      : {}),
    steps: steps.slice(-200).map((s) => ({
      at: s.finished_at ?? s.started_at,
      line: `${s.name} ${s.status}`.slice(0, 500),
    })),
  };
}
