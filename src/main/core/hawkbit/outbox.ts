import { RiggerError } from '../../../shared/errors';
import type { DdiFeedback, HawkbitGatewaySync, InstallOutcome } from '../../../shared/hawkbit';
import type { DdiClient } from './ddi-client';
import type { HawkbitJournal } from './journal';
import {
  findDistributionSet,
  reportOfflineInstall,
  type ManagementCredentials,
} from './management';

export interface OutboxContext {
  journal: HawkbitJournal;
  client: DdiClient;
  url: string;
  caPem?: string;
  management?: ManagementCredentials;
  report: HawkbitGatewaySync;
  now: () => string;
}

/**
 * Send every unsent message of the controller, oldest first, marking each sent as it goes, so
 * an interrupted sync resumes after the last one sent. An unreachable server stops the run
 * (the rest waits in the journal); an action hawkBit has closed meanwhile (HTTP 410) is noted.
 */
export async function flushOutbox(ctx: OutboxContext): Promise<number> {
  const { journal, client, report } = ctx;
  let sent = 0;
  for (const row of journal.pending(client.controllerId)) {
    if (row.channel === 'assignedDS') {
      const o = row.body as InstallOutcome;
      const notReported = (why: string) => {
        journal.markNotReported(row.id, why);
        report.not_reported.push({ version: o.version, reason: why });
      };
      if (o.result !== 'success') {
        notReported('a failed update outside any hawkBit action is not reported');
        continue;
      }
      if (!ctx.management) {
        notReported('no Management API credentials are set');
        continue;
      }
      let dsId = o.distribution_set_id;
      try {
        if (dsId === undefined) {
          const found = await findDistributionSet(ctx.url, ctx.management, ctx.caPem, o.version);
          if ('none' in found) {
            notReported(found.none);
            continue;
          }
          dsId = found.id;
        }
        await reportOfflineInstall(ctx.url, ctx.management, ctx.caPem, client.controllerId, dsId);
      } catch (err) {
        // Only an unreachable server stops the sync; a refusal is this report's alone.
        if (!(err instanceof RiggerError) || err.code === 'OTA_009') throw err;
        notReported(err.message);
        continue;
      }
      journal.markSent(row.id, ctx.now());
      report.offline_reported.push({ version: o.version, distribution_set_id: dsId });
      sent++;
      continue;
    }
    const body = row.body as DdiFeedback;
    try {
      await client.feedback(row.channel, row.actionId ?? '', body);
    } catch (err) {
      const status = err instanceof RiggerError ? err.details.status : undefined;
      if (status !== 410) throw err;
      journal.markSent(row.id, ctx.now());
      journal.markNotReported(row.id, 'hawkBit no longer has this action open (HTTP 410)');
      continue;
    }
    journal.markSent(row.id, ctx.now());
    report.sent.push({
      action_id: row.actionId ?? '',
      channel: row.channel,
      execution: body.status.execution,
      finished: body.status.result.finished,
    });
    sent++;
  }
  return sent;
}
