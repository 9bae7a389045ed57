import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DdiClient } from './ddi-client';
import { cancelAnswer } from './feedback';
import type { HawkbitJournal } from './journal';

/** Journal a cancel request; one for an action never fetched is journaled with it. */
export async function takeCancel(
  j: HawkbitJournal,
  client: DdiClient,
  gateway: string,
  href: string,
  at: string,
): Promise<void> {
  const c = await client.cancel(href);
  const stopId = c.cancelAction.stopId;
  if (!j.action(client.controllerId, stopId))
    j.saveAction(client.controllerId, gateway, { id: stopId, deployment: { chunks: [] } }, at);
  j.markCancelRequested(client.controllerId, stopId, at);
}

/** Queue the answer to each cancel request: rejected if the action was installed, else accepted. */
export function answerCancels(
  j: HawkbitJournal,
  cid: string,
  gateway: string,
  at: string,
  downloadDir: string,
): void {
  for (const a of j.actions({ controllerId: cid })) {
    if (!a.cancelRequestedAt || j.queued(`cancel:${cid}:${a.actionId}`)) continue;
    const installed = j.queued(`install:${cid}:${a.actionId}`) !== null;
    j.atomically(() => {
      j.queue({
        controllerId: cid,
        gateway,
        actionId: a.actionId,
        channel: 'cancelAction',
        body: installed
          ? cancelAnswer(at, false, 'already installed at the crane; its result follows')
          : cancelAnswer(at, true, 'canceled before installation; nothing was installed'),
        dedupe: `cancel:${cid}:${a.actionId}`,
        createdAt: at,
      });
      if (!installed) j.setState(cid, a.actionId, 'canceled', { files: [] });
    });
    // A canceled action's artifacts must not be installed by mistake later.
    if (!installed) rmSync(join(downloadDir, cid, a.actionId), { recursive: true, force: true });
  }
}
