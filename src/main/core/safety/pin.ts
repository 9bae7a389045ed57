import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';
import type { AuditLog } from '../audit';
import type { Database } from '../store/database';
import { nowIso } from '../util/time';

/** Wrong PINs in a row before a lockout. */
export const MAX_FAILURES = 5;

/** Lockout after the n-th (1-based) run of wrong PINs: 1 min, doubling, at most a day. */
export function lockoutSeconds(lockouts: number): number {
  return Math.min(86400, 60 * 2 ** Math.max(0, lockouts - 1));
}

/** Salted scrypt hash of a PIN, hex. */
export function hashPin(pin: string, salt: string): string {
  return scryptSync(pin, Buffer.from(salt, 'hex'), 32, { N: 16384, r: 8, p: 1 }).toString('hex');
}

interface PinRow {
  salt: string;
  hash: string;
  failures: number;
  lockouts: number;
  locked_until: string | null;
}

/** The override PIN: stored only as a salted hash in its own table; attempts rate limited and audited. */
export function createPinStore(db: Database, audit: AuditLog, now: () => number = Date.now) {
  const row = () => db.prepare('SELECT * FROM safety_pin WHERE id = 1').get() as PinRow | undefined;

  return {
    isSet: () => row() !== undefined,
    /** Set the PIN; replacing one needs the current PIN. */
    set(pin: string, current?: string) {
      if (row()) {
        if (current === undefined) {
          audit.record({
            action: 'safety.pin_set',
            outcome: 'refused',
            details: { reason: 'no current PIN' },
          });
          throw new RiggerError(
            'OTA_010',
            'A PIN is already set: give the current PIN to change it',
            {},
            ['Pass current_pin'],
          );
        }
        this.verify(current);
      }
      const salt = randomBytes(16).toString('hex');
      db.prepare(
        `INSERT INTO safety_pin (id, salt, hash, failures, lockouts, locked_until, set_at)
         VALUES (1, ?, ?, 0, 0, NULL, ?)
         ON CONFLICT(id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, failures = 0,
           lockouts = 0, locked_until = NULL, set_at = excluded.set_at`,
      ).run(salt, hashPin(pin, salt), nowIso());
      audit.record({ action: 'safety.pin_set', outcome: 'ok' });
    },
    /** Check a PIN; wrong ones count toward a growing lockout. Throws OTA_010. */
    verify(pin: string, context: { gateway?: string; action?: string } = {}) {
      const r = row();
      if (!r) {
        audit.record({
          action: 'safety.pin_attempt',
          outcome: 'refused',
          details: { ...context, reason: 'no PIN set' },
        });
        throw new RiggerError('OTA_010', 'No override PIN is set yet', {}, [
          'Set one first: safety.setPin (rigger safety pin)',
        ]);
      }
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
      const ok = timingSafeEqual(
        Buffer.from(hashPin(pin, r.salt), 'hex'),
        Buffer.from(r.hash, 'hex'),
      );
      if (ok) {
        db.prepare('UPDATE safety_pin SET failures = 0 WHERE id = 1').run();
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
