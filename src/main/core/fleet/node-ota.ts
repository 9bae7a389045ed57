import type { Device } from '../../../shared/devices';
import { RiggerError } from '../../../shared/errors';
import type { OtaCheck, OtaUpdateStatus } from '../../../shared/fleet-ota';
import type { NodeFirmware } from '../../../shared/nodes';
import type { FirmwareLibrary } from '../nodes/firmware-library';
import { jobIdOf, type NodeService } from '../nodes/service';

export type NodeOtaDeps = {
  nodes: Pick<NodeService, 'check' | 'push' | 'latest'>;
  library: Pick<FirmwareLibrary, 'list' | 'newestFor'>;
  /** The device as it stands now (a check lists the node's gateway first, which updates it). */
  get: (deviceId: string) => Device;
};

const STAGE_OF_TRANSFER = /Transferring/;

/** A node device that is not decommissioned: its OTA goes through its gateway's node tool. */
export const isLiveNode = (dev: Pick<Device, 'source' | 'status'>): boolean =>
  dev.source === 'node' && dev.status !== 'decommissioned';

/**
 * The seed's per-device OTA for a node behind a gateway: every answer comes from the gateway's
 * node tool through the node service (its check lists the node fresh, its push is the one path a
 * node's firmware takes). A rollback is a push of the older version, which the library must hold.
 */
export function createNodeOta(d: NodeOtaDeps) {
  const started = new Map<string, { jobId: string; at: string; rollback: boolean }>();
  const firmwareFor = (dev: Device, version: string): NodeFirmware => {
    const fw = d.library
      .list()
      .find((f) => f.version === version && f.node_types.includes(dev.device_type));
    if (!fw)
      throw new RiggerError(
        'NOT_FOUND',
        `Node firmware ${version} for ${dev.device_type} is not in the library`,
        { device_id: dev.device_id, target_version: version },
        ['Import the signed node-firmware bundle first (`rigger nodes firmware add`)'],
      );
    return fw;
  };

  const status = (dev: Device): OtaUpdateStatus => {
    const last = d.nodes.latest(dev.device_id);
    const base = {
      device_id: dev.device_id,
      current_version: dev.firmware_version,
      target_version: last?.version ?? null,
      job_id: last?.ota_job_id ?? null,
    };
    if (!last)
      return {
        ...base,
        update_status: 'idle',
        progress: 0,
        stage: null,
        started_at: null,
        error: null,
      };
    const mine = started.get(dev.device_id);
    const startedAt = mine?.jobId === last.ota_job_id ? mine.at : null;
    const pct = /(\d{1,3})%/.exec(last.additional_info);
    switch (last.status) {
      case 'initiated':
        return {
          ...base,
          update_status: 'pending',
          progress: 0,
          stage: 'queued',
          started_at: startedAt,
          error: null,
        };
      case 'in_progress': {
        const transfer = STAGE_OF_TRANSFER.test(last.additional_info);
        return {
          ...base,
          update_status: 'in_progress',
          progress: transfer && pct ? Math.min(99, Number(pct[1])) : transfer ? 0 : 99,
          stage: transfer ? 'downloading' : 'verifying_boot',
          started_at: startedAt,
          error: null,
        };
      }
      case 'success':
        return {
          ...base,
          update_status: mine?.rollback && startedAt ? 'rolled_back' : 'completed',
          progress: 100,
          stage: 'done',
          started_at: startedAt,
          error: null,
        };
      default:
        return {
          ...base,
          update_status: 'failed',
          progress: 0,
          stage: 'done',
          started_at: startedAt,
          error: last.additional_info,
        };
    }
  };

  const push = async (dev: Device, fw: NodeFirmware, rollback: boolean) => {
    const jobId = jobIdOf(fw);
    await d.nodes.push({ node_id: dev.device_id, ota_job_id: jobId });
    started.set(dev.device_id, { jobId, at: new Date().toISOString(), rollback });
    return status(d.get(dev.device_id));
  };

  return {
    status,
    /** The seed's check answer, from the node's own version as its gateway reports it now. */
    async check(dev: Device): Promise<OtaCheck> {
      const offer = await d.nodes.check(dev.device_id);
      const now = d.get(dev.device_id);
      const newest = d.library.newestFor(dev.device_type);
      const fw = offer.ota_available ? firmwareFor(now, offer.fw_version) : null;
      return {
        update_available: !!fw,
        current_version: now.firmware_version,
        latest_version: newest?.version ?? null,
        // Rigger pushes a node's firmware through its gateway; there is nothing to fetch.
        download_url: null,
        checksum: fw ? `sha256:${fw.sha256}` : null,
        size: fw ? fw.size : null,
        release_notes: fw ? fw.description : offer.description,
        mandatory: false,
      };
    },
    async trigger(dev: Device, target: string, force: boolean) {
      const fw = firmwareFor(dev, target);
      if (!force && dev.firmware_version === target)
        throw new RiggerError(
          'VALIDATION_ERROR',
          `Node ${dev.device_id} already runs ${target}`,
          { device_id: dev.device_id },
          ['Send force: true to push it again'],
        );
      return push(dev, fw, false);
    },
    async rollback(dev: Device, target: string) {
      return push(dev, firmwareFor(dev, target), true);
    },
  };
}
export type NodeOta = ReturnType<typeof createNodeOta>;
