import type { Device } from '../../../shared/devices';
import type { OtaCheck, Rollout } from '../../../shared/fleet-ota';
import type { Gateway } from '../../../shared/gateways';
import type { Job } from '../../../shared/jobs';
import type { FirmwareLibrary } from '../nodes/firmware-library';
import type { NodeService } from '../nodes/service';
import type { Database } from '../store/database';
import type { TelemetryService } from '../telemetry/service';
import { createDeviceOta } from './device-ota';
import { startDeviceListener } from './device-listener';
import { createDeviceRegistry } from './devices';
import { nodeDevices } from './node-devices';
import { withNodeFirmware } from './node-firmware-list';
import { createNodeOta, isLiveNode } from './node-ota';
import { createFirmwareRegistry } from './firmware';
import { otaCheckFor } from './firmware-check';
import { parseListenAddress } from './listen-address';
import { createOtaPort, type OtaJobCalls } from './ota-port';
import { createRolloutEngine } from './rollouts';
import type { UpdateOutcome, WindowOf } from './rollouts-port';

/** What the fleet needs of the rest of the core; the composition root fills it from its services. */
export interface FleetDeps {
  db: Database;
  telemetry: Pick<TelemetryService, 'ingest'>;
  /** Today's verified update, as the OTA port drives it. */
  jobs: Omit<OtaJobCalls, 'signal'>;
  /** Is an update or recovery job active on this gateway (the device reads `updating`)? */
  jobActive: (gateway: string) => boolean;
  latestJob: (gateway: string) => Promise<Job | null>;
  slotVersions: (gateway: string) => Promise<{ active: string | null; inactive: string | null }>;
  rollback: (gateway: string, reason: string) => Promise<string>;
  gatewayType?: (g: Gateway) => string;
  windowOf?: WindowOf;
  emit?: (r: Rollout) => void;
  onTarget?: (deviceId: string, outcome: UpdateOutcome, reason: string | null) => void;
  /** The nodes behind gateways and their firmware library: nodes become devices. */
  nodes?: {
    service: Pick<NodeService, 'check' | 'push' | 'latest' | 'active' | 'observe'>;
    library: Pick<FirmwareLibrary, 'list' | 'newestFor'>;
  };
}

/**
 * The fleet area built from its parts: devices, firmware versions, rollouts, per-device OTA, and
 * the device listener on demand. `close` stops the rollout timer and the listener; running update
 * jobs are the job engine's and go on.
 */
export function createFleet(d: FleetDeps) {
  const abort = new AbortController();
  const devices = createDeviceRegistry({
    db: d.db,
    jobRunning: (x) =>
      x.source === 'node'
        ? (d.nodes?.service.active(x.device_id) ?? false)
        : x.gateway
          ? d.jobActive(x.gateway)
          : false,
    gatewayType: d.gatewayType,
  });
  const firmware = createFirmwareRegistry(d.db);
  const port = createOtaPort({ ...d.jobs, signal: abort.signal });
  const candidates = (type: string) =>
    // A node's firmware is pushed through its gateway, never a gateway image: not in rollouts.
    devices
      .list({ type, limit: 10_000 })
      .devices.filter((x) => x.source !== 'node')
      .map((x) => ({
        device_id: x.device_id,
        gateway: x.gateway,
        decommissioned: x.status === 'decommissioned',
      }));
  const rollouts = createRolloutEngine({
    db: d.db,
    port,
    findImage: firmware.imageOf,
    candidates,
    windowOf: d.windowOf,
    emit: d.emit,
    onTarget: (id, outcome, reason, version) => {
      if (outcome === 'failed') devices.markError(id, reason ?? 'update failed');
      if (outcome === 'success') devices.patch(id, { firmware_version: version });
      d.onTarget?.(id, outcome, reason);
    },
  });
  const nodeOta = d.nodes
    ? createNodeOta({ nodes: d.nodes.service, library: d.nodes.library, get: devices.get })
    : undefined;
  const offNodes = d.nodes?.service.observe(nodeDevices(devices)) ?? (() => {});
  /** The seed's check for a device: a node's from its gateway's tool, others' from the firmware. */
  const check = async (dev: Device, current: string | null): Promise<OtaCheck> =>
    nodeOta && isLiveNode(dev)
      ? nodeOta.check(dev)
      : otaCheckFor(firmware.list().firmware, dev.device_type, current);
  const ota = createDeviceOta({
    node: nodeOta,
    devices,
    port,
    findImage: firmware.imageOf,
    latestJob: d.latestJob,
    slotVersions: d.slotVersions,
    rollback: d.rollback,
  });
  const listeners: Array<{ close(): Promise<void> }> = [];
  return {
    devices,
    firmware: {
      ...firmware,
      /** Gateway images and node firmware, the seed's list by `device_type`. */
      list: (query: unknown = {}) =>
        withNodeFirmware(firmware.list(query).firmware, d.nodes?.library.list() ?? [], query),
    },
    rollouts,
    ota,
    check,
    /** `rigger serve --device-listen ADDR:PORT`: the device endpoints, and nothing else. */
    async listen(address: string) {
      const l = await startDeviceListener({
        ...parseListenAddress(address),
        devices,
        ingest: (id, body) => d.telemetry.ingest(id, body),
        check,
      });
      listeners.push(l);
      return l;
    },
    async close() {
      offNodes();
      abort.abort();
      await rollouts.stop();
      await Promise.all(listeners.splice(0).map((l) => l.close()));
    },
  };
}
export type Fleet = ReturnType<typeof createFleet>;
