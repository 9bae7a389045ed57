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
  return {
    record(e) {
      insert.run(
        nowIso(),
        e.gatewayId ?? null,
        e.action,
        e.outcome,
        JSON.stringify(e.details ?? {}),
      );
    },
  };
}
