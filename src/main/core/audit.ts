import type { Database } from './store/database';
import { nowIso } from './util/time';

export interface AuditEntry {
  gatewayId?: number | null;
  action: string;
  outcome: 'ok' | 'refused' | 'failed';
  details?: Record<string, unknown>;
}

/** The audit log: who trusted which key, PIN attempts, overrides, resets. Append-only. */
export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** Audit log over the database. */
export function createAuditLog(db: Database): AuditLog {
  const insert = db.prepare(
    'INSERT INTO audit_log (at, gateway_id, action, outcome, details) VALUES (?, ?, ?, ?, ?)',
  );
  const byName = db.prepare('SELECT id FROM gateways WHERE name = ? COLLATE NOCASE');
  /** An entry that names its gateway in `details.gateway` belongs to that gateway's record. */
  const gatewayOf = (e: AuditEntry): number | null => {
    if (e.gatewayId !== undefined) return e.gatewayId;
    const name = e.details?.gateway;
    if (typeof name !== 'string') return null;
    return (byName.get(name) as { id: number } | undefined)?.id ?? null;
  };
  return {
    record(e) {
      insert.run(nowIso(), gatewayOf(e), e.action, e.outcome, JSON.stringify(e.details ?? {}));
    },
  };
}
