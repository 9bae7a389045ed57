import { RiggerError } from '../../../shared/errors';
import { installOutcomeSchema, type InstallOutcome } from '../../../shared/hawkbit';
import { installFeedback } from './feedback';
import type { HawkbitJournal } from './journal';

/** Where the OTA wiring hands the courier each install done at the crane. */
export interface InstallPort {
  /** Journal an install's outcome for the next sync; refused (changing nothing) if already journaled. */
  record(outcome: unknown): { queued: 'action' | 'offline'; controller_id: string };
}

/**
 * The install port over the journal. `controllerOf` maps a Rigger gateway name to its hawkBit
 * controllerId. An install of an action the journal knows becomes that action's `closed`
 * feedback; any other install is an update outside any action, reported through the
 * Management API where possible.
 */
export function createInstallPort(
  journal: HawkbitJournal,
  controllerOf: (gateway: string) => string,
): InstallPort {
  return {
    record(input) {
      const parsed = installOutcomeSchema.safeParse(input);
      if (!parsed.success)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `An install outcome is not valid: ${parsed.error.issues[0]?.message}`,
          { issues: parsed.error.issues.slice(0, 5) },
        );
      const o: InstallOutcome = parsed.data;
      if (Date.parse(o.finished_at) < Date.parse(o.started_at))
        throw new RiggerError('VALIDATION_ERROR', 'An install cannot finish before it started', {
          started_at: o.started_at,
          finished_at: o.finished_at,
        });
      const cid = controllerOf(o.gateway);
      const action = o.action_id ? journal.action(cid, o.action_id) : null;
      if (o.action_id && !action)
        throw new RiggerError(
          'NOT_FOUND',
          `hawkBit action ${o.action_id} was never fetched for ${o.gateway}`,
          { gateway: o.gateway, controller_id: cid, action_id: o.action_id },
          ['Sync with hawkBit before the visit, or install the image outside any action'],
        );
      return journal.atomically(() => {
        // A canceled action is over on the server: its install is an update outside it.
        if (action && action.state !== 'canceled') {
          const fresh = journal.queue({
            controllerId: cid,
            gateway: o.gateway,
            actionId: action.actionId,
            channel: 'deploymentBase',
            body: installFeedback(o),
            dedupe: `install:${cid}:${action.actionId}`,
            createdAt: o.finished_at,
          });
          if (!fresh)
            throw new RiggerError(
              'ALREADY_EXISTS',
              `The result of hawkBit action ${action.actionId} on ${o.gateway} is already journaled`,
              { gateway: o.gateway, action_id: action.actionId },
            );
          journal.setState(cid, action.actionId, o.result === 'success' ? 'installed' : 'failed', {
            error: o.result === 'failure' ? (o.reason ?? 'install failed') : null,
          });
          return { queued: 'action' as const, controller_id: cid };
        }
        const fresh = journal.queue({
          controllerId: cid,
          gateway: o.gateway,
          actionId: null,
          channel: 'assignedDS',
          body: o,
          dedupe: `offline:${cid}:${o.version}:${o.finished_at}`,
          createdAt: o.finished_at,
        });
        if (!fresh)
          throw new RiggerError(
            'ALREADY_EXISTS',
            `The install of ${o.version} on ${o.gateway} at ${o.finished_at} is already journaled`,
            { gateway: o.gateway, version: o.version },
          );
        return { queued: 'offline' as const, controller_id: cid };
      });
    },
  };
}
