import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RiggerError, toErrorData } from '../../../shared/errors';
import type { DdiControllerBase, HawkbitGatewaySync } from '../../../shared/hawkbit';
import { createDdiClient, sleepMs, type DdiClient, type DdiConnection } from './ddi-client';
import { downloadArtifact } from './ddi-download';
import { answerCancels, takeCancel } from './cancels';
import { feedbackBody } from './feedback';
import type { HawkbitJournal, JournalAction } from './journal';
import type { ManagementCredentials } from './management';
import { flushOutbox, type OutboxContext } from './outbox';
import { fetchRollout } from './rollout';

/** A Rigger gateway as the sync sees it. */
export interface SyncGateway {
  name: string;
  /** The `id` of its identity file: its controllerId unless mapped otherwise. */
  identityId?: string;
  /** Pushed as controller attributes when hawkBit asks (model, serial, hw revision, slots). */
  attributes?: Record<string, string>;
}

export interface SyncOptions {
  connection: DdiConnection & { controllers?: Record<string, string> };
  journal: HawkbitJournal;
  gateways: SyncGateway[];
  /** Artifacts land in `{downloadDir}/{controllerId}/{actionId}/`. */
  downloadDir: string;
  management?: ManagementCredentials;
  /** Poll even if the server asked to wait longer. */
  force?: boolean;
  now?: () => Date;
  download?: { retries?: number; backoffMs?: number };
  /**
   * Hands an action's verified artifacts to the image library (bundles verified as bundles,
   * signatures checked there). Its refusal is a warning: the artifact stays downloaded, and
   * whether it may be installed is the library's and the operator's call at the crane.
   */
  onDownloaded?: (a: {
    gateway: string;
    controllerId: string;
    actionId: string;
    files: string[];
  }) => Promise<void>;
}

/** A gateway's controllerId: its mapping, else its identity id, else its name. */
export function controllerIdOf(
  g: { name: string; identityId?: string },
  map: Record<string, string> = {},
): string {
  return map[g.name] ?? g.identityId ?? g.name;
}

/**
 * Sync every mapped gateway with hawkBit: tell it what happened (from the journal), answer
 * cancel requests, fetch and download open actions, push attributes. Each gateway's failure is
 * its own; the journal keeps whatever could not be sent for the next sync.
 */
export async function syncHawkbit(o: SyncOptions): Promise<HawkbitGatewaySync[]> {
  const map = o.connection.controllers ?? {};
  const known = new Set(o.gateways.map((g) => g.name.toLowerCase()));
  const out: HawkbitGatewaySync[] = [];
  for (const g of o.gateways) out.push(await syncGateway(o, g, controllerIdOf(g, map)));
  for (const [name, cid] of Object.entries(map)) {
    if (known.has(name.toLowerCase())) continue;
    out.push({
      ...emptyReport(name, cid),
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: `${name} is mapped to ${cid} but Rigger knows no such gateway`,
      },
    });
  }
  return out;
}

function emptyReport(gateway: string, cid: string): HawkbitGatewaySync {
  return {
    gateway,
    controller_id: cid,
    ok: true,
    actions: [],
    sent: [],
    config_data_sent: false,
    warnings: [],
    offline_reported: [],
    not_reported: [],
  };
}

async function syncGateway(
  o: SyncOptions,
  g: SyncGateway,
  cid: string,
): Promise<HawkbitGatewaySync> {
  const report = emptyReport(g.name, cid);
  const now = () => (o.now ? o.now() : new Date()).toISOString();
  const client = createDdiClient(o.connection, cid);
  const ctx: OutboxContext = {
    journal: o.journal,
    client,
    url: o.connection.url,
    caPem: o.connection.caPem,
    management: o.management,
    report,
    now,
  };
  try {
    let base = await poll(o, client, g.name, !!o.force);
    if (base._links.cancelAction)
      await takeCancel(o.journal, client, g.name, base._links.cancelAction.href, now());
    answerCancels(o.journal, cid, g.name, now(), o.downloadDir);
    if ((await flushOutbox(ctx)) > 0) base = await poll(o, client, g.name, true);
    if (base._links.deploymentBase)
      await takeDeployment(o, ctx, g.name, base._links.deploymentBase.href);
    if (base._links.configData && g.attributes && Object.keys(g.attributes).length) {
      await client.configData({ mode: 'merge', data: g.attributes });
      report.config_data_sent = true;
    }
    report.next_poll_at = o.journal.controller(cid).nextPollAt ?? undefined;
  } catch (err) {
    const e = toErrorData(err);
    report.ok = false;
    report.error = {
      code: e.code,
      message: e.message,
      ...(typeof e.details.status === 'number' ? { status: e.details.status } : {}),
    };
  }
  report.actions = o.journal.actions({ controllerId: cid }).map((a) => ({
    action_id: a.actionId,
    state: a.state,
    version: versionOf(a),
    forced: a.deployment.deployment.update === 'forced',
    ...(a.deployment.deployment.maintenanceWindow
      ? { maintenance_window: a.deployment.deployment.maintenanceWindow }
      : {}),
    files: a.files,
  }));
  return report;
}

/** The version an action installs: its chunks' versions. */
export function versionOf(a: JournalAction): string {
  return [...new Set(a.deployment.deployment.chunks.map((c) => c.version))].join('+');
}

/** The base resource, fresh or (within the server's polling interval, or on 304) remembered. */
async function poll(
  o: SyncOptions,
  client: DdiClient,
  gateway: string,
  force: boolean,
): Promise<DdiControllerBase> {
  const cid = client.controllerId;
  const known = o.journal.controller(cid);
  const nowMs = (o.now ? o.now() : new Date()).getTime();
  if (!force && known.base && known.nextPollAt && Date.parse(known.nextPollAt) > nowMs)
    return known.base;
  const ans = await client.poll(known.base ? (known.etag ?? undefined) : undefined);
  const base = ans.base ?? known.base;
  if (!base) throw new RiggerError('INTERNAL', `hawkBit said nothing changed for ${cid}`);
  const next = new Date(nowMs + sleepMs(base.config.polling.sleep)).toISOString();
  o.journal.savePoll(cid, gateway, ans.etag ?? null, base, new Date(nowMs).toISOString(), next);
  return base;
}

/** Fetch an action, report the download, fetch and verify every artifact. */
async function takeDeployment(
  o: SyncOptions,
  ctx: OutboxContext,
  gateway: string,
  href: string,
): Promise<void> {
  const { journal: j, client } = ctx;
  const cid = client.controllerId;
  const d = await client.deployment(href);
  const a = j.saveAction(cid, gateway, d, ctx.now());
  if (o.management && !a.rollout) {
    // Shown at the crane as it was assigned; a refusal costs only this detail.
    try {
      const r = await fetchRollout(
        o.connection.url,
        o.management,
        o.connection.caPem,
        cid,
        a.actionId,
        ctx.now(),
      );
      if (r) j.setRollout(cid, a.actionId, r);
    } catch (err) {
      ctx.report.warnings.push(
        `action ${a.actionId}: its rollout could not be read: ${(err as Error).message}`,
      );
    }
  }
  // `skip`: hawkBit does not want it downloaded yet; it is shown and fetched again next sync.
  if (a.state !== 'open' || d.deployment.download === 'skip') return;
  const artifacts = d.deployment.chunks.flatMap((c) => c.artifacts);
  const queue = (key: string, body: ReturnType<typeof feedbackBody>) =>
    j.queue({
      controllerId: cid,
      gateway,
      actionId: a.actionId,
      channel: 'deploymentBase',
      body,
      dedupe: `${key}:${cid}:${a.actionId}`,
      createdAt: body.time,
    });
  queue(
    'proceeding',
    feedbackBody(ctx.now(), 'proceeding', 'none', [
      `Rigger downloads ${artifacts.length} artifact(s) for an offline install`,
    ]),
  );
  await flushOutbox(ctx);
  const files: string[] = [];
  const origin = new URL(o.connection.url).origin;
  try {
    // One folder per chunk: hawkBit's chunks may carry files of the same name.
    for (const [i, chunk] of d.deployment.chunks.entries()) {
      const dir = join(o.downloadDir, cid, a.actionId, String(i));
      mkdirSync(dir, { recursive: true });
      for (const art of chunk.artifacts) {
        const got = await downloadArtifact(art, dir, origin, client.http, o.download);
        files.push(got.path);
      }
    }
  } catch (err) {
    if (!(err instanceof RiggerError) || err.code !== 'OTA_007') throw err;
    j.atomically(() => {
      queue(
        'install',
        feedbackBody(ctx.now(), 'closed', 'failure', [err.message, 'nothing was installed']),
      );
      j.setState(cid, a.actionId, 'failed', { error: err.message });
    });
    await flushOutbox(ctx);
    return;
  }
  j.atomically(() => {
    j.setState(cid, a.actionId, 'downloaded', { files });
    queue(
      'downloaded',
      feedbackBody(ctx.now(), 'downloaded', 'none', [
        `downloaded and verified ${files.length} artifact(s); installed at the next crane visit`,
      ]),
    );
  });
  await flushOutbox(ctx);
  try {
    await o.onDownloaded?.({ gateway, controllerId: cid, actionId: a.actionId, files });
  } catch (err) {
    ctx.report.warnings.push(
      `action ${a.actionId}: the image library did not take it: ${(err as Error).message}`,
    );
  }
}
