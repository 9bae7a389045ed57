import { RiggerError } from '../../../shared/errors';
import type { CoreEvents } from '../events';
import type { GatewayRegistry } from '../gateways/registry';
import type { GatewayService } from '../gateways/service';
import { actionForInstall } from '../hawkbit/assignments';
import { createHawkbitCourier, type HawkbitCourier } from '../hawkbit/courier';
import { installOutcomeOf } from '../hawkbit/job-outcome';
import { fitOf, offerFromImage } from '../images/offers';
import type { ImageService } from '../images/service';
import type { JobEngine } from '../jobs/engine';
import type { SecretStore } from '../secrets';
import type { SettingsService } from '../settings';
import type { Database } from '../store/database';

/** The courier with what it is told from the rest of the core, and its job listener. */
export type HawkbitWiring = HawkbitCourier & {
  /** Journal the outcome of an update job that ended (also called by the job listener). */
  recordJob(jobId: string): Promise<void>;
  /** Stop listening, after the outcomes being journaled are in (a CLI closes right after a job). */
  close(): Promise<void>;
};

/**
 * The hawkBit courier on the core: gateways from the registry, artifacts into the image library,
 * and every update job's end journaled for the next sync (tied to the open action it carries out).
 */
export function composeHawkbit(d: {
  db: Database;
  dataDir: string;
  events: CoreEvents;
  settings: SettingsService;
  secrets: SecretStore;
  registry: GatewayRegistry;
  gateways: GatewayService;
  images: ImageService;
  engine: JobEngine;
}): HawkbitWiring {
  const courier = createHawkbitCourier({
    db: d.db,
    dataDir: d.dataDir,
    settings: d.settings,
    secrets: d.secrets,
    gatewayNames: () => d.registry.list().map((g) => g.name),
    gatewayStatus: (name) => d.gateways.status(name, 'pinned-only'),
    importArtifact: (path) => d.images.importPath(path, {}),
    imageOf: (id) => {
      const i = d.images.list({}).find((x) => x.id === id);
      return i ? { id: i.id, version: i.version, signature: i.signature } : null;
    },
    imageOffer: async (gateway, id) =>
      offerFromImage(d.images.get(id), fitOf(await d.gateways.status(gateway, 'pinned-only'))),
  });
  const recordJob = async (jobId: string) => {
    if (!courier.configured()) return;
    const row = d.engine.store.find(jobId);
    if (!row) return;
    const version = typeof row.params.version === 'string' ? row.params.version : '';
    const imageId = typeof row.params.image_id === 'string' ? row.params.image_id : undefined;
    const action = actionForInstall(courier.journal, row.gateway, version, imageId);
    const steps = d.engine.store.steps(jobId);
    const first = installOutcomeOf(row, steps, { actionId: action?.action_id });
    if (!first) return;
    // Where a rollback happened, the version the gateway went back to, from its status.
    const rolledBackTo = first.rollback
      ? await d.gateways
          .status(row.gateway, 'pinned-only')
          .then((s) => s.partitions.active.version)
          .catch(() => null)
      : null;
    const outcome = installOutcomeOf(row, steps, { actionId: action?.action_id, rolledBackTo });
    try {
      courier.port.record(outcome);
    } catch (err) {
      if (!(err instanceof RiggerError && err.code === 'ALREADY_EXISTS'))
        console.error('hawkbit: journaling the install failed', err);
    }
  };
  const inflight = new Set<Promise<void>>();
  const track = (jobId: string) => {
    const p: Promise<void> = recordJob(jobId)
      .catch((err: unknown) => console.error('hawkbit: journaling the install failed', err))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };
  const off = d.events.on('job_complete', (e) => track(e.job_id));
  // An install that ended while nothing listened (Rigger stopped right after the job) is
  // journaled now: a finished update of a gateway with a downloaded action fetched before it.
  if (courier.configured()) {
    const waiting = courier.journal
      .actions({})
      .filter((a) => a.state === 'downloaded' && !a.cancelRequestedAt);
    const missed = waiting.length
      ? d.engine.store
          .list({ statuses: ['success', 'failed'], limit: 200 })
          .filter((row) =>
            waiting.some(
              (a) =>
                a.gateway.toLowerCase() === row.gateway.toLowerCase() &&
                (row.finished_at ?? row.updated_at) > a.fetchedAt,
            ),
          )
      : [];
    for (const row of missed) if (row.type === 'update') track(row.id);
  }
  return Object.assign(courier, {
    recordJob,
    async close() {
      off();
      await Promise.allSettled([...inflight]);
    },
  });
}
