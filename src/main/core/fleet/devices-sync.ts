import type { Gateway } from '../../../shared/gateways';
import type { Database } from '../store/database';
import type { DeviceRow } from './devices-rows';

export interface SyncResult {
  added: string[];
  updated: string[];
  decommissioned: string[];
  /** Gateways whose name a self-registered device already holds: left as they were. */
  conflicts: string[];
}

/**
 * Make every gateway of the registry a device (its id the gateway's name), carry over when it was
 * last seen, and decommission the devices of gateways that are gone. Their tokens and history stay
 * with the device row; a gateway added again under the same name comes back as that device.
 */
export function syncGatewayDevices(
  db: Database,
  gateways: readonly Gateway[],
  typeOf: (g: Gateway) => string,
  at: string,
): SyncResult {
  const out: SyncResult = { added: [], updated: [], decommissioned: [], conflicts: [] };
  db.transaction(() => {
    const names = new Set(gateways.map((g) => g.name));
    for (const g of gateways) {
      const r = db.prepare('SELECT * FROM devices WHERE device_id = ?').get(g.name) as
        DeviceRow | undefined;
      if (r && r.source !== 'gateway') {
        out.conflicts.push(g.name);
        continue;
      }
      if (!r) {
        db.prepare(
          `INSERT INTO devices (device_id, name, device_type, metadata, state, last_seen,
             registered_at, updated_at, source, gateway)
           VALUES (?, ?, ?, ?, 'registered', ?, ?, ?, 'gateway', ?)`,
        ).run(
          g.name,
          g.name,
          typeOf(g),
          JSON.stringify({ profile: g.profile }),
          g.last_seen,
          at,
          at,
          g.name,
        );
        out.added.push(g.name);
        continue;
      }
      const seen =
        g.last_seen && (!r.last_seen || g.last_seen > r.last_seen) ? g.last_seen : r.last_seen;
      db.prepare(
        `UPDATE devices SET last_seen = ?, gateway = ?, updated_at = ?,
           state = CASE WHEN state = 'decommissioned' THEN 'registered' ELSE state END
         WHERE device_id = ?`,
      ).run(seen, g.name, at, g.name);
      out.updated.push(g.name);
    }
    const mine = db
      .prepare(
        `SELECT device_id FROM devices WHERE source = 'gateway' AND state != 'decommissioned'`,
      )
      .all() as Array<{ device_id: string }>;
    for (const { device_id } of mine)
      if (!names.has(device_id)) {
        db.prepare(
          `UPDATE devices SET state = 'decommissioned', token_hash = NULL, gateway = NULL,
             updated_at = ? WHERE device_id = ?`,
        ).run(at, device_id);
        out.decommissioned.push(device_id);
        // Its nodes go with it; they come back when the gateway's tool lists them again.
        db.prepare(
          `UPDATE devices SET state = 'decommissioned', updated_at = ?
           WHERE source = 'node' AND gateway = ? AND state != 'decommissioned'`,
        ).run(at, device_id);
      }
  })();
  return out;
}
