import type { Device, DeviceStatus } from '../../../shared/devices';

/** A row of the `devices` table as SQLite gives it. */
export interface DeviceRow {
  device_id: string;
  name: string;
  device_type: string;
  manufacturer: string | null;
  model: string | null;
  firmware_version: string | null;
  metadata: string;
  /** What was set, not what is true now: `registered`, `error` or `decommissioned`. */
  state: 'registered' | 'error' | 'decommissioned';
  last_seen: string | null;
  registered_at: string;
  updated_at: string;
  source: 'gateway' | 'registered' | 'node';
  gateway: string | null;
  token_hash: string | null;
  token_issued_at: string | null;
}

/** What decides a device's status besides its row. */
export interface StatusInputs {
  nowMs: number;
  onlineWindowMs: number;
  jobRunning: boolean;
}

/**
 * The seed's status, from facts rather than from what was last written: a running job says
 * `updating`, an error stays until the device is next heard from cleanly (a node: until a push to it
 * succeeds), and `online`/`offline`
 * follow from how long ago the device was last heard from.
 */
export function statusOf(row: DeviceRow, s: StatusInputs): DeviceStatus {
  if (row.state === 'decommissioned') return 'decommissioned';
  if (s.jobRunning) return 'updating';
  if (row.state === 'error') return 'error';
  // Its gateway's node tool said the node does not answer: offline now, not minutes later.
  if (row.source === 'node' && nodeOnline(row) === false) return 'offline';
  if (!row.last_seen) return 'registered';
  return s.nowMs - Date.parse(row.last_seen) <= s.onlineWindowMs ? 'online' : 'offline';
}

const nodeOnline = (row: DeviceRow): unknown =>
  (JSON.parse(row.metadata) as { node_online?: unknown }).node_online;

/** A row in the seed's "Get Device" shape. */
export function toDevice(row: DeviceRow, status: DeviceStatus): Device {
  return {
    device_id: row.device_id,
    name: row.name,
    device_type: row.device_type,
    status,
    firmware_version: row.firmware_version,
    last_seen: row.last_seen,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    manufacturer: row.manufacturer,
    model: row.model,
    registered_at: row.registered_at,
    source: row.source,
    gateway: row.gateway,
  };
}
