import { randomBytes } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';
import type { AuditLog } from '../audit';
import type { Database } from '../store/database';
import { nowIso } from '../util/time';
import { hashPin, isLegacyHash, pinMatches } from './pin-hash';

export { hashPin } from './pin-hash';

/** Wrong PINs in a row before a lockout. */
export const MAX_FAILURES = 5;

/** Lockout after the n-th (1-based) run of wrong PINs: 1 min, doubling, at most a day. */
export function lockoutSeconds(lockouts: number): number {
  return Math.min(86400, 60 * 2 ** Math.max(0, lockouts - 1));
}

/**
 * Where the PIN's verifier lives beyond the data folder (the desktop app's OS keychain). When
 * one is bound, it decides: the database row only counts wrong attempts.
 */
export interface PinVault {
  readonly kind: 'keychain';
  /** `salt$hash`, or null when none is kept. */
  read(): string | null;
  write(verifier: string | null): void;
}

const vaults = new WeakMap<Database, PinVault>();

/** Keep the PIN verifier of this database in `vault` (done once, where the core is built). */
export function bindPinVault(db: Database, vault: PinVault): void {
  vaults.set(db, vault);
}

interface PinRow {
  salt: string;
  hash: string;
  failures: number;
  lockouts: number;
  locked_until: string | null;
}

const MISSING =
  "A PIN was set, but its record is missing from Rigger's data folder: it cannot be replaced without the old one";
const RESET_ADVICE = 'Reset it on purpose: rigger safety pin --reset (recorded in the audit log)';

/**
 * The override PIN: stored only as a salted scrypt hash; attempts rate limited and audited.
 * Deleting its row does not clear it: the keychain keeps the verifier (desktop), or the audit
 * log's record that a PIN was set makes a new one wait for an explicit, audited reset.
 */
export function createPinStore(db: Database, audit: AuditLog, now: () => number = Date.now) {
  const row = () => db.prepare('SELECT * FROM safety_pin WHERE id = 1').get() as PinRow | undefined;
  const vault = () => vaults.get(db);
  const writeRow = (salt: string, hash: string) =>
    db
      .prepare(
        `INSERT INTO safety_pin (id, salt, hash, failures, lockouts, locked_until, set_at)
         VALUES (1, ?, ?, 0, 0, NULL, ?)
         ON CONFLICT(id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, failures = 0,
           lockouts = 0, locked_until = NULL, set_at = excluded.set_at`,
      )
      .run(salt, hash, nowIso());
  /** The verifier that decides: the keychain's when there is one, else the row's. */
  const truth = (): { salt: string; hash: string } | null => {
    const held = vault()?.read();
    if (held) {
      const [salt = '', hash = ''] = held.split('$');
      return { salt, hash };
    }
    const r = row();
    return r ? { salt: r.salt, hash: r.hash } : null;
  };
  /** A PIN was set and not reset, yet no verifier is left: its row was deleted. */
  const missing = (): boolean => {
    if (truth()) return false;
    const last = db
      .prepare(
        `SELECT action FROM audit_log WHERE action IN ('safety.pin_set', 'safety.pin_reset')
         AND outcome = 'ok' ORDER BY id DESC LIMIT 1`,
      )
      .get() as { action: string } | undefined;
    return last?.action === 'safety.pin_set';
  };
  const store = (salt: string, hash: string) => {
    writeRow(salt, hash);
    vault()?.write(`${salt}$${hash}`);
  };

  return {
    isSet: () => truth() !== null || missing(),
    /** Set the PIN; replacing one (or one whose record went missing) needs the current PIN. */
    set(pin: string, current?: string) {
      const gone = missing();
      if (truth() || gone) {
        if (current === undefined) {
          audit.record({
            action: 'safety.pin_set',
            outcome: 'refused',
            details: { reason: gone ? 'PIN record missing' : 'no current PIN' },
          });
          throw new RiggerError(
            'OTA_010',
            gone ? MISSING : 'A PIN is already set: give the current PIN to change it',
            {},
            gone ? [RESET_ADVICE] : ['Pass current_pin'],
          );
        }
        this.verify(current);
      }
      const salt = randomBytes(16).toString('hex');
      store(salt, hashPin(pin, salt));
      audit.record({
        action: 'safety.pin_set',
        outcome: 'ok',
        details: { held_in: vault() ? 'keychain' : 'data folder' },
      });
    },
    /**
     * Forget the PIN without the old one: only where the data folder holds it (browser mode, CLI).
     * Audited; the answer says what was done.
     */
    reset(operator: string): { status: 'reset'; message: string } {
      if (vault()?.read()) {
        audit.record({
          action: 'safety.pin_reset',
          outcome: 'refused',
          details: { operator, reason: 'held in the keychain' },
        });
        throw new RiggerError(
          'OTA_010',
          "The PIN is kept in this computer's keychain: it can be replaced only with the current PIN",
          {},
          ['Change it with the current PIN (Settings, or rigger safety pin)'],
        );
      }
      const had = row() !== undefined || missing();
      db.prepare('DELETE FROM safety_pin').run();
      audit.record({
        action: 'safety.pin_reset',
        outcome: 'ok',
        details: { operator, had_pin: had },
      });
      return {
        status: 'reset',
        message: had
          ? "The override PIN was reset: its record in Rigger's database was deleted, so no PIN is set now. Overrides, settings that lower a safety gate and factory resets are refused until a new PIN is set (rigger safety pin). This reset is in the audit log."
          : 'There was no PIN: nothing changed. This reset is in the audit log.',
      };
    },
    /** Check a PIN; wrong ones count toward a growing lockout. Throws OTA_010. */
    verify(pin: string, context: { gateway?: string; action?: string } = {}) {
      const t = truth();
      if (!t) {
        const gone = missing();
        audit.record({
          action: 'safety.pin_attempt',
          outcome: 'refused',
          details: { ...context, reason: gone ? 'PIN record missing' : 'no PIN set' },
        });
        throw gone
          ? new RiggerError('OTA_010', MISSING, {}, [RESET_ADVICE])
          : new RiggerError('OTA_010', 'No override PIN is set yet', {}, [
              'Set one first: safety.setPin (rigger safety pin)',
            ]);
      }
      // The keychain holds the verifier but the row (attempt counters) was deleted: start anew.
      if (!row()) writeRow(t.salt, t.hash);
      const r = row()!;
      if (r.locked_until && Date.parse(r.locked_until) > now()) {
        audit.record({
          action: 'safety.pin_attempt',
          outcome: 'refused',
          details: { ...context, locked_until: r.locked_until },
        });
        throw new RiggerError(
          'OTA_010',
          `Too many wrong PINs: overrides are locked until ${r.locked_until}`,
          {
            locked_until: r.locked_until,
            retry_after_seconds: Math.ceil((Date.parse(r.locked_until) - now()) / 1000),
          },
          ['Wait until the lockout ends', 'Ask the person who holds the PIN'],
        );
      }
      if (pinMatches(pin, t.salt, t.hash)) {
        db.prepare('UPDATE safety_pin SET failures = 0 WHERE id = 1').run();
        if (isLegacyHash(t.hash)) store(t.salt, hashPin(pin, t.salt));
        audit.record({ action: 'safety.pin_attempt', outcome: 'ok', details: context });
        return;
      }
      const failures = r.failures + 1;
      let lockedUntil: string | null = null;
      let lockouts = r.lockouts;
      if (failures >= MAX_FAILURES) {
        lockouts += 1;
        lockedUntil = new Date(now() + lockoutSeconds(lockouts) * 1000).toISOString();
      }
      db.prepare(
        'UPDATE safety_pin SET failures = ?, lockouts = ?, locked_until = ? WHERE id = 1',
      ).run(lockedUntil ? 0 : failures, lockouts, lockedUntil);
      audit.record({
        action: 'safety.pin_attempt',
        outcome: 'refused',
        details: { ...context, failures, ...(lockedUntil ? { locked_until: lockedUntil } : {}) },
      });
      throw new RiggerError(
        'OTA_010',
        lockedUntil ? `Wrong PIN: overrides locked until ${lockedUntil}` : 'Wrong PIN',
        lockedUntil ? { locked_until: lockedUntil } : { attempts_left: MAX_FAILURES - failures },
        ['Check the PIN and try again'],
      );
    },
  };
}
