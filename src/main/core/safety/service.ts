import { randomBytes } from 'node:crypto';
import type { RiggerEvent } from '../../../shared/events';
import type { OperationOutput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import { CONSTRAINT_NAMES, type ConstraintName, type SafetyStatus } from '../../../shared/safety';
import type { AuditLog } from '../audit';
import type { CoreEvents } from '../events';
import type { GatewayService } from '../gateways/service';
import { shq } from '../gateways/session';
import type { SettingsService } from '../settings';
import type { Database } from '../store/database';
import { nowIso } from '../util/time';
import { createPinStore } from './pin';
import {
  blockingAdvice,
  blockingDetails,
  evaluateSafety,
  parseDf,
  type SafetyFacts,
} from './signals';

interface Deps {
  db: Database;
  gateways: GatewayService;
  settings: SettingsService;
  audit: AuditLog;
  events: CoreEvents;
}

/** An override asked for: which constraints, how long, and the PIN that allows it. */
export interface OverrideRequest {
  gateway: string;
  enable: boolean;
  pin: string;
  reason: string;
  constraints: ConstraintName[];
  duration: number;
  acknowledge_risks: boolean;
  operator: string;
}

/** The events this service emits on the core's bus. */
export type SafetyEvent = Extract<RiggerEvent, { type: 'safety_alert' }>;

/**
 * The crane's safety signals, PIN-guarded overrides, and the check before every irreversible
 * step (GATEWAY-CONTRACT rule 7).
 *
 * Emits on the core's events: `safety_alert` for each constraint that blocks a check.
 */
export interface SafetyService {
  /** The gateway's signals judged against the settings and the active overrides. */
  status(gateway: string): Promise<SafetyStatus>;
  /** Read the signals before `action`; a blocking constraint throws OTA_002 (and alerts). */
  check(gateway: string, action: string): Promise<SafetyStatus>;
  /** Check the PIN (hashed, rate limited, audited) for an action other than an override. */
  verifyPin(pin: string, context: { gateway: string; action: string }): void;
  /** Set the PIN; a PIN already set must be given as `current`. */
  setPin(pin: string, current?: string): OperationOutput<'safety.setPin'>;
  /** Forget the PIN without the old one where the data folder holds it (audited). */
  resetPin(operator: string): OperationOutput<'safety.resetPin'>;
  /** Lift (or end) constraints for a while, with the PIN; audited. */
  override(input: OverrideRequest): OperationOutput<'safety.override'>;
}

/** Safety signals, PIN-guarded overrides, and the check before every irreversible step (rule 7). */
export function createSafetyService(d: Deps): SafetyService {
  const pins = createPinStore(d.db, d.audit);

  /** Constraints overridden right now for a gateway; expired overrides are closed and audited. */
  const overridden = (gateway: string): ConstraintName[] => {
    const now = nowIso();
    const expired = d.db
      .prepare(
        'SELECT id FROM safety_overrides WHERE gateway = ? AND revoked_at IS NULL AND expires_at <= ?',
      )
      .all(gateway, now) as Array<{ id: string }>;
    for (const { id } of expired) {
      d.db.prepare('UPDATE safety_overrides SET revoked_at = expires_at WHERE id = ?').run(id);
      d.audit.record({
        action: 'safety.override_expired',
        outcome: 'ok',
        details: { override_id: id, gateway },
      });
    }
    const rows = d.db
      .prepare(
        'SELECT constraints FROM safety_overrides WHERE gateway = ? AND revoked_at IS NULL AND expires_at > ?',
      )
      .all(gateway, now) as Array<{ constraints: string }>;
    const set = new Set<ConstraintName>();
    for (const r of rows) for (const c of JSON.parse(r.constraints) as ConstraintName[]) set.add(c);
    return CONSTRAINT_NAMES.filter((c) => set.has(c));
  };

  const facts = async (gateway: string): Promise<SafetyFacts> => {
    const { profile, session } = await d.gateways.session(gateway);
    const [sig, df] = await Promise.all([
      session.exec(profile.safety_command, { timeoutMs: 15000 }),
      session.exec(`df -Pk ${shq(profile.data_paths[0] ?? '/')}`, { timeoutMs: 15000 }),
    ]);
    let signals: SafetyFacts['signals'] = null;
    if (sig.code === 0) {
      try {
        const parsed: unknown = JSON.parse(sig.stdout.toString('utf8'));
        if (parsed && typeof parsed === 'object') signals = parsed as SafetyFacts['signals'];
      } catch {
        signals = null;
      }
    }
    return { signals, disk: df.code === 0 ? parseDf(df.stdout.toString('utf8')) : null };
  };

  const status = async (gateway: string): Promise<SafetyStatus> =>
    evaluateSafety(await facts(gateway), d.settings.get().safety_constraints, overridden(gateway));

  return {
    status,
    /**
     * Read the signals before `action`; a blocking constraint throws OTA_002 with its details
     * (and a safety_alert event) unless an override lifts it.
     */
    async check(gateway, action) {
      const s = await status(gateway);
      if (s.update_allowed) return s;
      const details = blockingDetails(s);
      for (const [name, c] of Object.entries(details)) {
        const st = (c as { status?: unknown }).status;
        d.events.emit({
          type: 'safety_alert',
          constraint: name,
          status: typeof st === 'string' ? st : 'blocking',
          message: `${name.replace(/_/g, ' ')} blocks ${action} on ${gateway}`,
          severity: 'critical',
          action_required: true,
          suggested_action: blockingAdvice(s)[0] ?? 'Check the gateway',
        });
      }
      throw new RiggerError(
        'OTA_002',
        `Safety constraint blocks ${action} on "${gateway}": ${Object.keys(details).join(', ')}`,
        { gateway, action, constraints: details, safety_score: s.safety_score },
        [...blockingAdvice(s), 'Or, if it is truly safe, override with a PIN (audited)'],
      );
    },
    /** Check the PIN (hashed, rate limited, audited) for an action other than an override. */
    verifyPin(pin, context) {
      pins.verify(pin, context);
    },
    resetPin(operator) {
      return pins.reset(operator);
    },
    setPin(pin, current) {
      pins.set(pin, current);
      return { status: 'pin_set' as const };
    },
    override(input) {
      const base = { gateway: input.gateway, constraints: input.constraints, reason: input.reason };
      if (!input.acknowledge_risks) {
        d.audit.record({
          action: 'safety.override',
          outcome: 'refused',
          details: { ...base, why: 'risks not acknowledged' },
        });
        throw new RiggerError(
          'VALIDATION_ERROR',
          'An override needs acknowledge_risks: true',
          base,
          ['Read the risks, then acknowledge them'],
        );
      }
      pins.verify(input.pin, { gateway: input.gateway, action: 'safety override' });
      const now = new Date();
      if (!input.enable) {
        d.db
          .prepare(
            'UPDATE safety_overrides SET revoked_at = ? WHERE gateway = ? AND revoked_at IS NULL',
          )
          .run(now.toISOString(), input.gateway);
        d.audit.record({ action: 'safety.override_disabled', outcome: 'ok', details: base });
      }
      const id = `OVERRIDE-${randomBytes(3).toString('hex').toUpperCase()}`;
      const expires = new Date(now.getTime() + input.duration * 1000).toISOString();
      if (input.enable) {
        d.db
          .prepare(
            'INSERT INTO safety_overrides (id, gateway, constraints, reason, operator, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            id,
            input.gateway,
            JSON.stringify(input.constraints),
            input.reason,
            input.operator,
            now.toISOString(),
            expires,
          );
        d.audit.record({
          action: 'safety.override',
          outcome: 'ok',
          details: { ...base, override_id: id, expires_at: expires, operator: input.operator },
        });
      }
      return {
        status: input.enable ? ('override_enabled' as const) : ('override_disabled' as const),
        override_id: id,
        warning: input.enable
          ? 'Safety constraints disabled. Proceed with extreme caution.'
          : 'Overrides of this gateway ended.',
        duration: input.duration,
        expires_at: expires,
        constraints_overridden: input.enable ? input.constraints : [],
        acknowledgments: {
          risk_accepted: input.acknowledge_risks,
          operator: input.operator,
          timestamp: now.toISOString(),
        },
      };
    },
  };
}
