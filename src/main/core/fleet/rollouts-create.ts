import { RiggerError } from '../../../shared/errors';
import { batchUpdateSchema, type BatchUpdate } from '../../../shared/fleet-ota';
import { parseOrThrow } from '../../../shared/validation';
import { planWaves } from './rollouts-plan';

export interface RolloutCandidate {
  device_id: string;
  gateway: string | null;
  decommissioned: boolean;
}

/**
 * Check a batch update before anything is written: the version must be in the library for the
 * type, there must be devices to update (each reachable through a gateway), and the percentage
 * must be a share (above 0, at most 100). Gives the spec, the image and the waves.
 */
export function prepareRollout(
  raw: unknown,
  d: {
    findImage: (deviceType: string, version: string) => string | null;
    candidates: (deviceType: string) => RolloutCandidate[];
  },
) {
  const spec: BatchUpdate = parseOrThrow(batchUpdateSchema, raw, 'Batch update');
  const imageId = d.findImage(spec.device_type, spec.target_version);
  if (!imageId)
    throw new RiggerError(
      'NOT_FOUND',
      `Version ${spec.target_version} for ${spec.device_type} is not in the library`,
      { device_type: spec.device_type, target_version: spec.target_version },
      [
        'Add the firmware first (`rigger firmware add`)',
        'Check the version with `rigger firmware list`',
      ],
    );
  let devices = d.candidates(spec.device_type).filter((c) => !c.decommissioned);
  if (spec.device_ids) {
    const named = new Set(spec.device_ids);
    const unknown = spec.device_ids.filter((id) => !devices.some((c) => c.device_id === id));
    if (unknown.length)
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Not live devices of type ${spec.device_type}: ${unknown.join(', ')}`,
        { device_ids: unknown },
      );
    devices = devices.filter((c) => named.has(c.device_id));
  }
  const noGateway = devices.filter((c) => !c.gateway).map((c) => c.device_id);
  if (noGateway.length && spec.device_ids)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `No gateway to update through for: ${noGateway.join(', ')}`,
      { device_ids: noGateway },
      ['Devices that are not gateways take updates with `ota/check`'],
    );
  devices = devices.filter((c) => c.gateway);
  if (devices.length === 0)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `No devices of type ${spec.device_type} to update`,
      { device_type: spec.device_type },
      ['Check the type with `rigger devices list`', 'Add the gateways first'],
    );
  const waves = planWaves(
    devices.map((c) => ({ device_id: c.device_id, gateway: c.gateway })),
    spec.rollout_percentage,
    spec.groups,
  );
  return { spec, imageId, waves };
}
