import type { GatewayNode } from '../../../shared/nodes';
import type { Database } from '../store/database';
import type { DeviceRow } from './devices-rows';
import type { SyncResult } from './devices-sync';

/**
 * Make the nodes one gateway's node tool listed devices (id = the node's id, type = its node
 * type, `gateway` = the gateway behind which it sits). A node listed online was heard from now;
 * one listed offline keeps its last contact and reads `offline`. Nodes of this gateway that the
 * tool no longer lists are decommissioned; a node that moved to another gateway follows it.
 * An `error` after a failed push stays: being listed is no proof the node took firmware again.
 */
export function syncNodeDevices(
  db: Database,
  gateway: string,
  nodes: readonly GatewayNode[],
  at: string,
): SyncResult {
  const out: SyncResult = { added: [], updated: [], decommissioned: [], conflicts: [] };
  // Prepared once per listing, not once per node.
  const find = db.prepare('SELECT * FROM devices WHERE device_id = ?');
  const insert = db.prepare(
    `INSERT INTO devices (device_id, name, device_type, firmware_version, metadata, state,
       last_seen, registered_at, updated_at, source, gateway)
     VALUES (?, ?, ?, ?, ?, 'registered', ?, ?, ?, 'node', ?)`,
  );
  const update = db.prepare(
    `UPDATE devices SET name = ?, device_type = ?,
       firmware_version = COALESCE(?, firmware_version), metadata = ?,
       last_seen = CASE WHEN ? THEN ? ELSE last_seen END, gateway = ?, updated_at = ?,
       state = CASE WHEN state = 'decommissioned' THEN 'registered' ELSE state END
     WHERE device_id = ?`,
  );
  const decommission = db.prepare(
    `UPDATE devices SET state = 'decommissioned', updated_at = ? WHERE device_id = ?`,
  );
  db.transaction(() => {
    for (const n of nodes) {
      const r = find.get(n.node_id) as DeviceRow | undefined;
      if (r && r.source !== 'node') {
        out.conflicts.push(n.node_id);
        continue;
      }
      const meta = { ...(r ? JSON.parse(r.metadata) : {}), node_online: n.online };
      if (!r) {
        insert.run(
          n.node_id,
          n.name || n.node_id,
          n.type,
          n.fw_version,
          JSON.stringify(meta),
          n.online ? at : null,
          at,
          at,
          gateway,
        );
        out.added.push(n.node_id);
        continue;
      }
      update.run(
        n.name || n.node_id,
        n.type,
        n.fw_version,
        JSON.stringify(meta),
        n.online ? 1 : 0,
        at,
        gateway,
        at,
        n.node_id,
      );
      out.updated.push(n.node_id);
    }
    const listed = new Set(nodes.map((n) => n.node_id));
    const mine = db
      .prepare(
        `SELECT device_id FROM devices
         WHERE source = 'node' AND gateway = ? AND state != 'decommissioned'`,
      )
      .all(gateway) as Array<{ device_id: string }>;
    for (const { device_id } of mine)
      if (!listed.has(device_id)) {
        decommission.run(at, device_id);
        out.decommissioned.push(device_id);
      }
  })();
  return out;
}
