import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../../src/main/core/audit';
import { createPinStore, hashPin, lockoutSeconds } from '../../../../src/main/core/safety/pin';
import { openDatabase } from '../../../../src/main/core/store/database';

const setup = () => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-pin-')));
  let now = Date.parse('2026-01-01T00:00:00Z');
  const pins = createPinStore(db, createAuditLog(db), () => now);
  return { db, pins, advance: (s: number) => (now += s * 1000) };
};

describe('override PIN', () => {
  it('stores only a salted hash', () => {
    const { db, pins } = setup();
    pins.set('7392');
    const row = db.prepare('SELECT * FROM safety_pin').get() as { hash: string; salt: string };
    expect(row.hash).not.toContain('7392');
    expect(row.hash).toBe(hashPin('7392', row.salt));
  });
  it('locks out after five wrong PINs, for longer each time, and audits every attempt', () => {
    const { db, pins, advance } = setup();
    pins.set('7392');
    for (let i = 0; i < 5; i++) expect(() => pins.verify('1111')).toThrow(/Wrong PIN/);
    expect(() => pins.verify('7392')).toThrow(/locked until/);
    advance(lockoutSeconds(1) + 1);
    expect(() => pins.verify('7392')).not.toThrow();
    for (let i = 0; i < 5; i++) expect(() => pins.verify('1111')).toThrow();
    advance(lockoutSeconds(1) + 1);
    expect(() => pins.verify('7392')).toThrow(/locked/); // the second lockout is longer
    expect(lockoutSeconds(2)).toBeGreaterThan(lockoutSeconds(1));
    const attempts = db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'safety.pin_attempt'")
      .get() as { n: number };
    expect(attempts.n).toBe(13);
  });
  it('replacing a PIN needs the current one', () => {
    const { pins } = setup();
    pins.set('1234');
    expect(() => pins.set('5678')).toThrow(/current PIN/);
    pins.set('5678', '1234');
    expect(() => pins.verify('5678')).not.toThrow();
  });
});
