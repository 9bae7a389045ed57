import type { GatewayStatus } from '../../../shared/status';
import type { SyncGateway } from './sync';

/** hawkBit's limits on a controller attribute's key and value. */
const MAX_KEY = 32;
const MAX_VALUE = 128;

/**
 * The controller attributes Rigger pushes with `configData`: model, serial, hardware revision,
 * the booted version and each slot's version, from a gateway's status. What the gateway could
 * not tell is left out, never invented.
 */
export function attributesOf(status: GatewayStatus): Record<string, string> {
  const g = status.gateway;
  const p = status.partitions;
  const out: Record<string, string> = {};
  const put = (key: string, value: string | null | undefined) => {
    if (value) out[key.slice(0, MAX_KEY)] = value.slice(0, MAX_VALUE);
  };
  put('model', g.model);
  put('serial', g.serial_number);
  put('hwRevision', g.hardware_revision);
  put('osVersion', g.os_version);
  put('bootloader', g.bootloader);
  for (const part of [p.active, p.inactive]) if (part.id) put(`slot${part.id}`, part.version);
  if (p.active.id) put('activeSlot', p.active.id);
  return out;
}

/** A gateway as the sync takes it: its name, its identity id, and its attributes. */
export function syncGatewayOf(name: string, status: GatewayStatus | null): SyncGateway {
  return status
    ? { name, identityId: status.gateway.id ?? undefined, attributes: attributesOf(status) }
    : { name };
}
