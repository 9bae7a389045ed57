import { RiggerError } from '../../../shared/errors';
import {
  deviceAuthSchema,
  deviceListQuerySchema,
  devicePatchSchema,
  deviceRegisterSchema,
  type Device,
  type DeviceAuthResult,
  type DeviceList,
  type DeviceRegistered,
} from '../../../shared/devices';
import type { Gateway } from '../../../shared/gateways';
import type { GatewayNode } from '../../../shared/nodes';
import { parseOrThrow } from '../../../shared/validation';
import type { Database } from '../store/database';
import { issueToken, tokenMatches } from './device-tokens';
import { statusOf, toDevice, type DeviceRow } from './devices-rows';
import { syncNodeDevices } from './devices-nodes';
import { syncGatewayDevices, type SyncResult } from './devices-sync';

/** The device registry: the seed's device service over SQLite, tokens kept hashed. */
export interface DeviceRegistry {
  register(input: unknown): DeviceRegistered;
  /** A device proves itself with its token and gets a new one; the old one stops working. */
  auth(input: unknown): DeviceAuthResult;
  /** The device behind `X-Device-ID` + `X-Device-Token`, or UNAUTHORIZED (nothing changes). */
  verify(deviceId: string, token: string): Device;
  get(deviceId: string): Device;
  list(query?: unknown): DeviceList;
  patch(deviceId: string, changes: unknown): Device;
  decommission(deviceId: string): Device;
  /** A new token for a device (a gateway device gets its first one this way). */
  issue(deviceId: string): { device_id: string; auth_token: string };
  revoke(deviceId: string): void;
  /** The device was heard from (a request with its token, a status read of its gateway). */
  markSeen(deviceId: string, firmwareVersion?: string): void;
  markError(deviceId: string, reason: string): void;
  /** Every gateway Rigger knows becomes a device; removed gateways are decommissioned. */
  syncGateways(gateways: readonly Gateway[]): SyncResult;
  /** The nodes a gateway's node tool just listed become devices behind it. */
  syncNodes(gateway: string, nodes: readonly GatewayNode[]): SyncResult;
  /** The ids of live devices of a type, ordered by id (rollouts split these into waves). */
  idsOfType(deviceType: string): string[];
  typeOf(deviceId: string): string | null;
}

export interface DeviceRegistryDeps {
  db: Database;
  /** Is a job running on this device right now (an update or recovery of a gateway, a node push)? */
  jobRunning?: (device: Pick<DeviceRow, 'device_id' | 'gateway' | 'source'>) => boolean;
  /** A device heard from within this long is `online`. */
  onlineWindowMs?: number;
  /** The device type given to gateways (their profile's kind); `gateway` when absent. */
  gatewayType?: (g: Gateway) => string;
  now?: () => number;
}

const unauthorized = () =>
  new RiggerError('UNAUTHORIZED', 'Unknown device or wrong device token', {}, [
    'Send X-Device-ID and the X-Device-Token given at registration or by the last auth',
    'Ask the technician to issue a new token if it was revoked',
  ]);

/** How often a device's `last_seen` is written at most (it is `online` for minutes after). */
const SEEN_EVERY_MS = 5000;

/** Build the registry over the database. */
export function createDeviceRegistry(d: DeviceRegistryDeps): DeviceRegistry {
  const now = d.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const window = d.onlineWindowMs ?? 5 * 60_000;
  const seenWritten = new Map<string, number>();
  // Prepared once: every device request looks its device up.
  const byId = d.db.prepare('SELECT * FROM devices WHERE device_id = ?');
  const find = (id: string) => byId.get(id) as DeviceRow | undefined;
  const row = (id: string): DeviceRow => {
    const r = find(id);
    if (!r)
      throw new RiggerError('NOT_FOUND', `No device "${id}"`, { device_id: id }, [
        'Check the id with `rigger devices list`',
      ]);
    return r;
  };
  const view = (r: DeviceRow): Device =>
    toDevice(
      r,
      statusOf(r, {
        nowMs: now(),
        onlineWindowMs: window,
        jobRunning: r.state !== 'decommissioned' && (d.jobRunning?.(r) ?? false),
      }),
    );
  const live = (id: string) => {
    const r = row(id);
    if (r.state === 'decommissioned')
      throw new RiggerError('VALIDATION_ERROR', `Device "${id}" is decommissioned`, {
        device_id: id,
      });
    return r;
  };
  const setToken = (id: string) => {
    const t = issueToken();
    d.db
      .prepare(
        'UPDATE devices SET token_hash = ?, token_issued_at = ?, updated_at = ? WHERE device_id = ?',
      )
      .run(t.hash, iso(), iso(), id);
    return t.token;
  };

  const registry: DeviceRegistry = {
    register(raw) {
      const input = parseOrThrow(deviceRegisterSchema, raw, 'Device');
      if (find(input.device_id))
        throw new RiggerError(
          'ALREADY_EXISTS',
          `A device "${input.device_id}" already exists`,
          { device_id: input.device_id },
          ['Authenticate with its token instead', 'Choose another device_id'],
        );
      const t = issueToken();
      const at = iso();
      d.db
        .prepare(
          `INSERT INTO devices (device_id, name, device_type, manufacturer, model, firmware_version,
             metadata, state, registered_at, updated_at, source, token_hash, token_issued_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?, 'registered', ?, ?)`,
        )
        .run(
          input.device_id,
          input.name,
          input.device_type,
          input.manufacturer ?? null,
          input.model ?? null,
          input.firmware_version ?? null,
          JSON.stringify(input.metadata),
          at,
          at,
          t.hash,
          at,
        );
      return {
        device_id: input.device_id,
        name: input.name,
        status: 'registered',
        registered_at: at,
        auth_token: t.token,
      };
    },
    auth(raw) {
      const input = parseOrThrow(deviceAuthSchema, raw, 'Device authentication');
      registry.verify(input.device_id, input.device_secret);
      const token = setToken(input.device_id);
      registry.markSeen(input.device_id, input.firmware_version);
      return {
        device_id: input.device_id,
        status: registry.get(input.device_id).status,
        auth_token: token,
        expires_at: null,
      };
    },
    verify(deviceId, token) {
      const r = find(deviceId);
      const ok = tokenMatches(token, r?.token_hash ?? null);
      if (!r || !ok || r.state === 'decommissioned') throw unauthorized();
      return view(r);
    },
    get: (id) => view(row(id)),
    list(raw = {}) {
      const q = parseOrThrow(deviceListQuerySchema, raw, 'Device list query');
      const rows = (
        q.type
          ? d.db
              .prepare('SELECT * FROM devices WHERE device_type = ? ORDER BY device_id')
              .all(q.type)
          : d.db.prepare('SELECT * FROM devices ORDER BY device_id').all()
      ) as DeviceRow[];
      const all = rows.map(view).filter((x) => !q.status || x.status === q.status);
      return { devices: all.slice(0, q.limit), total: all.length };
    },
    patch(id, raw) {
      const p = parseOrThrow(devicePatchSchema, raw, 'Device change');
      const r = live(id);
      const meta: Record<string, unknown> = JSON.parse(r.metadata);
      for (const [k, v] of Object.entries(p.metadata ?? {}))
        if (v === null) delete meta[k];
        else meta[k] = v;
      if (Object.keys(meta).length > 32)
        throw new RiggerError('VALIDATION_ERROR', 'Device metadata holds at most 32 keys', {
          device_id: id,
        });
      d.db
        .prepare(
          `UPDATE devices SET name = ?, device_type = ?, manufacturer = ?, model = ?,
             firmware_version = ?, metadata = ?, updated_at = ? WHERE device_id = ?`,
        )
        .run(
          p.name ?? r.name,
          p.device_type ?? r.device_type,
          p.manufacturer ?? r.manufacturer,
          p.model ?? r.model,
          p.firmware_version ?? r.firmware_version,
          JSON.stringify(meta),
          iso(),
          id,
        );
      return registry.get(id);
    },
    decommission(id) {
      row(id);
      d.db
        .prepare(
          `UPDATE devices SET state = 'decommissioned', token_hash = NULL, updated_at = ?
           WHERE device_id = ?`,
        )
        .run(iso(), id);
      return registry.get(id);
    },
    issue(id) {
      live(id);
      return { device_id: id, auth_token: setToken(id) };
    },
    revoke(id) {
      row(id);
      d.db
        .prepare('UPDATE devices SET token_hash = NULL, updated_at = ? WHERE device_id = ?')
        .run(iso(), id);
    },
    markSeen(id, firmwareVersion) {
      // A device posting several times a second need not cost a write each time.
      const t = now();
      if (!firmwareVersion && t - (seenWritten.get(id) ?? -Infinity) < SEEN_EVERY_MS) return;
      seenWritten.set(id, t);
      d.db
        .prepare(
          `UPDATE devices SET last_seen = ?, firmware_version = COALESCE(?, firmware_version),
             state = CASE WHEN state = 'error' THEN 'registered' ELSE state END
           WHERE device_id = ? AND state != 'decommissioned'`,
        )
        .run(iso(), firmwareVersion ?? null, id);
    },
    markError(id, reason) {
      const r = live(id);
      seenWritten.delete(id);
      const meta = { ...JSON.parse(r.metadata), last_error: reason.slice(0, 500) };
      d.db
        .prepare(
          `UPDATE devices SET state = 'error', metadata = ?, updated_at = ? WHERE device_id = ?`,
        )
        .run(JSON.stringify(meta), iso(), id);
    },
    syncGateways: (gateways) =>
      syncGatewayDevices(d.db, gateways, d.gatewayType ?? (() => 'gateway'), iso()),
    syncNodes: (gateway, nodes) => syncNodeDevices(d.db, gateway, nodes, iso()),
    idsOfType(type) {
      return (
        d.db
          .prepare(
            `SELECT device_id FROM devices WHERE device_type = ? AND state != 'decommissioned'
             ORDER BY device_id`,
          )
          .all(type) as Array<{ device_id: string }>
      ).map((x) => x.device_id);
    },
    typeOf: (id) => find(id)?.device_type ?? null,
  };
  return registry;
}
