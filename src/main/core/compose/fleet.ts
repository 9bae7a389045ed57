import { operations } from '../../../shared/api';
import { ACTIVE_STATUSES } from '../../../shared/jobs';
import { windowState } from '../../../shared/maintenance';
import { parseOrThrow } from '../../../shared/validation';
import type { CoreEvents } from '../events';
import type { ProfileCatalog } from '../gateways/profile';
import type { GatewayRegistry } from '../gateways/registry';
import type { GatewayService } from '../gateways/service';
import type { JobEngine } from '../jobs/engine';
import type { FirmwareLibrary } from '../nodes/firmware-library';
import type { NodeService } from '../nodes/service';
import { toSeedJob } from '../jobs/format';
import type { OtaService } from '../ota/service';
import type { RecoveryService } from '../recovery/service';
import type { SettingsService } from '../settings';
import type { Database } from '../store/database';
import type { TelemetryService } from '../telemetry/service';
import { createFleet, type Fleet } from '../fleet/fleet';
import type { GatewayStatus } from '../../../shared/status';

/** The fleet with what the rest of the core tells it. */
export type FleetWiring = Fleet & {
  /** A gateway answered a status read: its device was seen, running what its active slot holds. */
  observeStatus(name: string, status: GatewayStatus): void;
};

/** How often a gateway that answers a status read is asked for its nodes, at most. */
const NODE_LIST_EVERY_MS = 60_000;

/** Job kinds that are a gateway's update or rollback (the device's update status). */
const UPDATE_SUBTYPES = new Set(['download', 'install', 'deploy', 'flash', 'rollback']);

/**
 * The fleet on the real core: a gateway's update is the OTA service's verified update on the job
 * engine (the job row's error code tells a postponing refusal from a failure), its rollback the
 * recovery service's, its slot versions its status read. Devices follow the gateway registry now
 * and whenever gateways change; rollouts go on from where they stood.
 */
export function composeFleet(d: {
  db: Database;
  events: CoreEvents;
  settings: SettingsService;
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
  gateways: GatewayService;
  engine: JobEngine;
  ota: OtaService;
  recovery: RecoveryService;
  telemetry: () => Pick<TelemetryService, 'ingest'>;
  pollMs?: number;
  runRollouts: boolean;
  /** The nodes behind gateways: they become devices, their OTA goes through the node tool. */
  nodes?: { service: NodeService; library: FirmwareLibrary };
}): FleetWiring {
  const store = d.engine.store;
  const modelOf = (profile: string): string => {
    try {
      return d.profiles.resolve(profile).model;
    } catch {
      return 'gateway';
    }
  };
  const fleet = createFleet({
    db: d.db,
    telemetry: { ingest: (id, body) => d.telemetry().ingest(id, body) },
    jobs: {
      download: async (gateway, imageId) =>
        d.ota.download(
          parseOrThrow(
            operations['updates.download'].input,
            { gateway, update_id: imageId },
            'Update',
          ),
        ),
      install: async (jobId) =>
        d.ota.install(
          parseOrThrow(operations['updates.install'].input, { job_id: jobId }, 'Install'),
        ),
      job: async (jobId) => {
        const row = store.find(jobId);
        if (!row) return { status: 'failed', error: `job ${jobId} is gone`, error_code: null };
        return {
          status: row.status,
          error: row.error?.message ?? null,
          error_code: row.error?.code ?? null,
        };
      },
      pollMs: d.pollMs,
    },
    jobActive: (gateway) => store.list({ gateway, statuses: ACTIVE_STATUSES, limit: 1 }).length > 0,
    latestJob: async (gateway) => {
      const row = store.list({ gateway, limit: 50 }).find((r) => UPDATE_SUBTYPES.has(r.subtype));
      return row ? toSeedJob(row) : null;
    },
    slotVersions: async (gateway) => {
      const s = await d.gateways.status(gateway, 'pinned-only');
      return { active: s.partitions.active.version, inactive: s.partitions.inactive.version };
    },
    rollback: async (gateway, reason) =>
      (
        await d.recovery.rollback(
          parseOrThrow(operations['recovery.rollback'].input, { gateway, reason }, 'Rollback'),
        )
      ).rollback_id,
    gatewayType: (g) => modelOf(g.profile),
    emit: (r) =>
      d.events.emit({
        type: 'rollout_changed',
        rollout_id: r.rollout_id,
        status: r.status,
        paused_reason: r.paused_reason,
      }),
    nodes: d.nodes,
    windowOf: () => {
      const w = windowState(d.settings.get().maintenance_window);
      return { open: w.open, opens_at: w.opens_at };
    },
  });
  const sync = () => {
    try {
      fleet.devices.syncGateways(d.registry.list());
    } catch (err) {
      console.error('fleet: syncing devices from the gateways failed', err);
    }
  };
  sync();
  const off = d.events.on('gateways_changed', sync);
  if (d.runRollouts) fleet.rollouts.start();
  const close = fleet.close;
  const nodesListed = new Map<string, number>();
  return Object.assign(fleet, {
    observeStatus(name: string, status: GatewayStatus) {
      try {
        // Only the gateway's own device: a self-registered device of that name is another box.
        if (fleet.devices.get(name).gateway !== name) return;
        fleet.devices.markSeen(name, status.partitions.active.version ?? undefined);
      } catch {
        // Not a device (yet): the next sync of the registry makes it one.
      }
      // The gateway answers: ask it for its nodes now and then, so their devices stay true.
      const t = Date.now();
      if (d.nodes && t - (nodesListed.get(name) ?? -Infinity) >= NODE_LIST_EVERY_MS) {
        nodesListed.set(name, t);
        d.nodes.service.list(name).catch(() => {});
      }
    },
    async close() {
      off();
      await close();
    },
  });
}
