import { randomBytes } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';
import {
  KNOWN_METRICS,
  type AlertEvent,
  type AlertHistoryEntry,
  type AlertRule,
  type AlertRuleInput,
} from '../../../shared/telemetry';
import type { Database } from '../store/database';
import { withRetries } from '../util/retry';
import type { Accepted } from './ingest';

type Op = AlertRuleInput['condition']['operator'];
const holds: Record<Op, (v: number, t: number) => boolean> = {
  '>': (v, t) => v > t,
  '>=': (v, t) => v >= t,
  '<': (v, t) => v < t,
  '<=': (v, t) => v <= t,
  '==': (v, t) => v === t,
  '!=': (v, t) => v !== t,
};

interface StateRow {
  firing: number;
  pending_since: number | null;
  fired_at: number | null;
  cleared_at: number | null;
  last_value: number | null;
}

/** Firings and clearings the history keeps. */
const HISTORY_KEPT = 10_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Alert rules over incoming samples: a condition that holds `duration_seconds` fires once. */
export function createAlerts(d: {
  db: Database;
  /** Is this a metric anything reports or Rigger knows? Rules on others are refused. */
  metricExists: (metric: string) => boolean;
  /** Which devices a `device_type` rule covers. */
  typeOf?: (deviceId: string) => string | null;
  emit: (e: AlertEvent) => void;
  /** Webhook POSTs (tests hand in a short retry). */
  retries?: number;
  fetchImpl?: typeof fetch;
}) {
  const load = () =>
    (
      d.db
        .prepare('SELECT id, rule, created_at FROM alert_rules ORDER BY created_at')
        .all() as Array<{
        id: string;
        rule: string;
        created_at: string;
      }>
    ).map((r) => ({
      id: r.id,
      created_at: r.created_at,
      ...(JSON.parse(r.rule) as AlertRuleInput),
    }));
  let rules = load();
  const getState = d.db.prepare('SELECT * FROM alert_state WHERE rule_id = ? AND device_id = ?');
  const putState = d.db.prepare(
    `INSERT OR REPLACE INTO alert_state (rule_id, device_id, firing, pending_since, fired_at, cleared_at, last_value)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const record = d.db.prepare(
    'INSERT INTO alert_deliveries (rule_id, at, url, ok, error) VALUES (?, ?, ?, ?, ?)',
  );

  const remember = d.db.prepare(
    `INSERT INTO alert_events (rule_id, name, device_id, metric, state, value, threshold, timestamp)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  /** Into the history, which keeps the newest HISTORY_KEPT. */
  const keep = (e: Omit<AlertEvent, 'notify'>) => {
    const { lastInsertRowid } = remember.run(
      e.rule_id,
      e.name,
      e.device_id,
      e.metric,
      e.state,
      e.value,
      e.threshold,
      e.timestamp,
    );
    if (Number(lastInsertRowid) % 100 === 0)
      d.db
        .prepare('DELETE FROM alert_events WHERE id <= ?')
        .run(Number(lastInsertRowid) - HISTORY_KEPT);
  };
  const deliver = async (rule: { id: string }, url: string, e: Omit<AlertEvent, 'notify'>) => {
    try {
      await withRetries(
        async () => {
          const res = await (d.fetchImpl ?? fetch)(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(e),
            signal: AbortSignal.timeout(10_000),
          });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
        },
        { retries: d.retries ?? 4, backoffMs: 500, maxBackoffMs: 30_000, shouldRetry: () => true },
      );
      record.run(rule.id, new Date().toISOString(), url, 1, null);
    } catch (err) {
      record.run(rule.id, new Date().toISOString(), url, 0, (err as Error).message);
    }
  };

  const fire = (rule: (typeof rules)[number], e: Omit<AlertEvent, 'notify'>) => {
    keep(e);
    d.emit({ ...e, notify: rule.actions.some((a) => a.type === 'notification') });
    for (const a of rule.actions) if (a.type === 'webhook') void deliver(rule, a.url, e);
  };

  const applies = (rule: (typeof rules)[number], deviceId: string) =>
    rule.enabled &&
    (!rule.device_id || rule.device_id === deviceId) &&
    (!rule.device_type || d.typeOf?.(deviceId) === rule.device_type);

  return {
    list(): AlertRule[] {
      return rules.map((r) => {
        const states = d.db
          .prepare(
            'SELECT * FROM alert_state WHERE rule_id = ? ORDER BY COALESCE(fired_at, 0) DESC',
          )
          .all(r.id) as StateRow[];
        const s = states.find((x) => x.firing) ?? states[0];
        const failures = d.db
          .prepare(
            'SELECT at, url, error FROM alert_deliveries WHERE rule_id = ? AND ok = 0 ORDER BY id DESC LIMIT 5',
          )
          .all(r.id) as Array<{ at: string; url: string; error: string }>;
        return {
          ...r,
          state: {
            firing: !!s?.firing,
            pending_since: iso(s?.pending_since ?? null),
            fired_at: iso(s?.fired_at ?? null),
            cleared_at: iso(s?.cleared_at ?? null),
            last_value: s?.last_value ?? null,
          },
          delivery_failures: failures,
        };
      });
    },
    add(input: AlertRuleInput): AlertRule {
      const m = input.condition.metric;
      if (!(KNOWN_METRICS as readonly string[]).includes(m) && !d.metricExists(m))
        throw new RiggerError(
          'VALIDATION_ERROR',
          `No device reports a metric "${m}"`,
          { metric: m, known: [...KNOWN_METRICS] },
          ['Use a metric a device sends (see its telemetry)'],
        );
      const id = `ALERT-${randomBytes(4).toString('hex').toUpperCase()}`;
      d.db
        .prepare('INSERT INTO alert_rules (id, rule, created_at) VALUES (?, ?, ?)')
        .run(id, JSON.stringify(input), new Date().toISOString());
      rules = load();
      return this.list().find((r) => r.id === id)!;
    },
    /** The alert history, newest first, of one device or all. */
    history(q: { device_id?: string; limit: number }): AlertHistoryEntry[] {
      return (
        q.device_id
          ? d.db
              .prepare('SELECT * FROM alert_events WHERE device_id = ? ORDER BY id DESC LIMIT ?')
              .all(q.device_id, q.limit)
          : d.db.prepare('SELECT * FROM alert_events ORDER BY id DESC LIMIT ?').all(q.limit)
      ) as AlertHistoryEntry[];
    },
    remove(id: string) {
      const n = d.db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes;
      if (!n) throw new RiggerError('NOT_FOUND', `No alert rule ${id}`, { id });
      rules = load();
    },
    /** Judge new samples against every rule; fire or clear where the condition changed. */
    evaluate(samples: readonly Accepted[]) {
      for (const s of samples)
        for (const rule of rules) {
          const c = rule.condition;
          const v = s.metrics[c.metric];
          if (v === undefined || !applies(rule, s.device_id)) continue;
          const st = (getState.get(rule.id, s.device_id) as StateRow | undefined) ?? {
            firing: 0,
            pending_since: null,
            fired_at: null,
            cleared_at: null,
            last_value: null,
          };
          const base = {
            type: 'alert' as const,
            rule_id: rule.id,
            name: rule.name,
            device_id: s.device_id,
            metric: c.metric,
            value: v,
            threshold: c.threshold,
            timestamp: new Date(s.ts).toISOString(),
          };
          if (holds[c.operator](v, c.threshold)) {
            const since = st.pending_since ?? s.ts;
            const due = s.ts - since >= c.duration_seconds * 1000;
            if (due && !st.firing) fire(rule, { ...base, state: 'firing' });
            putState.run(
              rule.id,
              s.device_id,
              due || st.firing ? 1 : 0,
              since,
              due && !st.firing ? s.ts : st.fired_at,
              st.cleared_at,
              v,
            );
          } else {
            if (st.firing) fire(rule, { ...base, state: 'cleared' });
            putState.run(
              rule.id,
              s.device_id,
              0,
              null,
              st.fired_at,
              st.firing ? s.ts : st.cleared_at,
              v,
            );
          }
        }
    },
  };
}

export type Alerts = ReturnType<typeof createAlerts>;
