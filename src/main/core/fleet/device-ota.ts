import { RiggerError } from '../../../shared/errors';
import {
  otaRollbackSchema,
  otaTriggerSchema,
  type OtaUpdateStatus,
} from '../../../shared/fleet-ota';
import type { Job } from '../../../shared/jobs';
import { parseOrThrow } from '../../../shared/validation';
import type { DeviceRegistry } from './devices';
import type { UpdatePort } from './rollouts-port';
import { isLiveNode, type NodeOta } from './node-ota';
import { toUpdateStatus } from './update-status';

export interface DeviceOtaDeps {
  devices: DeviceRegistry;
  port: UpdatePort;
  findImage: (deviceType: string, version: string) => string | null;
  /** The gateway's latest update or rollback job, or null. */
  latestJob: (gateway: string) => Promise<Job | null>;
  /** What the gateway's slots hold now. */
  slotVersions: (gateway: string) => Promise<{ active: string | null; inactive: string | null }>;
  /** Switch the gateway back to its other slot (the core's `recovery.rollback`); gives the job id. */
  rollback: (gateway: string, reason: string) => Promise<string>;
  /** A node's OTA, through its gateway's node tool (absent: nodes are not devices here). */
  node?: NodeOta;
}

/**
 * The seed's per-device OTA endpoints (trigger, status, rollback) on today's jobs: a gateway's
 * update is the verified update, its rollback the recovery rollback. Devices that are not
 * gateways take their updates themselves through `ota/check`.
 */
export function createDeviceOta(d: DeviceOtaDeps) {
  /** The node's OTA when the device is a live node, else null (it is a gateway or neither). */
  const nodeOf = (deviceId: string) => {
    const dev = d.devices.get(deviceId);
    return isLiveNode(dev) && d.node ? { dev, node: d.node } : null;
  };
  const gatewayOf = (deviceId: string) => {
    const dev = d.devices.get(deviceId);
    if (dev.status === 'decommissioned' || dev.source !== 'gateway' || !dev.gateway)
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Device ${deviceId} is not a gateway or node Rigger updates`,
        { device_id: deviceId, status: dev.status },
        ['A device that is not a gateway fetches its update itself with ota/check'],
      );
    return { dev, gateway: dev.gateway };
  };
  const status = async (deviceId: string): Promise<OtaUpdateStatus> => {
    const n = nodeOf(deviceId);
    if (n) return n.node.status(n.dev);
    const { dev, gateway } = gatewayOf(deviceId);
    return toUpdateStatus(deviceId, dev.firmware_version, await d.latestJob(gateway));
  };
  /** Follow a job to its end and keep the device's record true. */
  const follow = (deviceId: string, jobId: string, version: string) =>
    void d.port.wait(jobId).then(
      (r) => {
        const outcome = typeof r === 'string' ? r : r.outcome;
        if (outcome === 'success') d.devices.patch(deviceId, { firmware_version: version });
        else if (outcome === 'failed')
          d.devices.markError(
            deviceId,
            (typeof r === 'string' ? null : r.reason) ?? 'update failed',
          );
      },
      (err: unknown) => d.devices.markError(deviceId, String(err)),
    );

  return {
    status,
    async trigger(input: unknown): Promise<OtaUpdateStatus> {
      const t = parseOrThrow(otaTriggerSchema, input, 'Update');
      const n = nodeOf(t.device_id);
      if (n) return n.node.trigger(n.dev, t.target_version, t.force);
      const { dev, gateway } = gatewayOf(t.device_id);
      const imageId = d.findImage(dev.device_type, t.target_version);
      if (!imageId)
        throw new RiggerError(
          'NOT_FOUND',
          `Version ${t.target_version} for ${dev.device_type} is not in the library`,
          { target_version: t.target_version },
          ['Add the firmware first'],
        );
      // `force` installs a version the device already runs again; it never overrides safety.
      if (!t.force && dev.firmware_version === t.target_version)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `Device ${t.device_id} already runs ${t.target_version}`,
          { device_id: t.device_id },
          ['Send force: true to install it again'],
        );
      const jobId = await d.port.start(gateway, imageId);
      follow(t.device_id, jobId, t.target_version);
      return status(t.device_id);
    },
    async rollback(input: unknown): Promise<OtaUpdateStatus> {
      const r = parseOrThrow(otaRollbackSchema, input, 'Rollback');
      const n = nodeOf(r.device_id);
      if (n) return n.node.rollback(n.dev, r.target_version);
      const { gateway } = gatewayOf(r.device_id);
      const slots = await d.slotVersions(gateway);
      if (slots.inactive !== r.target_version)
        throw new RiggerError(
          'OTA_012',
          `${r.device_id} cannot roll back to ${r.target_version}: its other slot holds ${slots.inactive ?? 'nothing bootable'}`,
          {
            device_id: r.device_id,
            target_version: r.target_version,
            inactive_version: slots.inactive,
          },
          [`Roll back to ${slots.inactive ?? 'the other slot'} or update to ${r.target_version}`],
        );
      const jobId = await d.rollback(gateway, r.reason);
      follow(r.device_id, jobId, r.target_version);
      return status(r.device_id);
    },
  };
}
export type DeviceOta = ReturnType<typeof createDeviceOta>;
