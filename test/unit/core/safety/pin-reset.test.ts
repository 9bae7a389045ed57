import { scryptSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../../src/main/core/audit';
import {
  bindPinVault,
  createPinStore,
  hashPin,
  type PinVault,
} from '../../../../src/main/core/safety/pin';
import { openDatabase } from '../../../../src/main/core/store/database';

/** Stand-in for the OS keychain (none runs on the test machine): a value outside the database. */
const keychainStandIn = (): PinVault & { held: string | null } => {
  const v = {
    kind: 'keychain' as const,
    held: null as string | null,
    read: () => v.held,
    write: (x: string | null) => {
      v.held = x;
    },
  };
  return v;
};

const setup = (vault?: PinVault) => {
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'rigger-pinreset-')));
  if (vault) bindPinVault(db, vault);
  const audit = createAuditLog(db);
  const deleteRow = () => db.prepare('DELETE FROM safety_pin').run();
  const actions = () =>
    (
      db.prepare('SELECT action, outcome, details FROM audit_log').all() as Array<{
        action: string;
        outcome: string;
        details: string;
      }>
    ).map((r) => `${r.action} ${r.outcome}`);
  return { db, pins: createPinStore(db, audit), deleteRow, actions };
};

describe('the PIN cannot be replaced by deleting its row', () => {
  it('data folder only: a new PIN needs the old one or an audited reset that says what it did', () => {
    const { pins, deleteRow, actions } = setup();
    pins.set('7392');
    deleteRow();
    expect(() => pins.set('0000')).toThrow(
      expect.objectContaining({ code: 'OTA_010', message: expect.stringMatching(/missing/) }),
    );
    expect(() => pins.verify('0000')).toThrow(expect.objectContaining({ code: 'OTA_010' }));
    const r = pins.reset('tech');
    expect(r.message).toMatch(/reset/i);
    expect(r.message).toMatch(/no PIN/i);
    pins.set('0000');
    expect(() => pins.verify('0000')).not.toThrow();
    expect(actions()).toEqual(
      expect.arrayContaining([
        'safety.pin_set refused',
        'safety.pin_reset ok',
        'safety.pin_set ok',
      ]),
    );
  });

  it('keychain: the verifier there decides; a deleted or rewritten row changes nothing', () => {
    const vault = keychainStandIn();
    const { db, pins, deleteRow } = setup(vault);
    pins.set('7392');
    expect(vault.held).toMatch(/\$/);
    deleteRow();
    expect(() => pins.set('0000')).toThrow(expect.objectContaining({ code: 'OTA_010' }));
    expect(() => pins.verify('7392')).not.toThrow();
    const salt = '00'.repeat(16);
    db.prepare('UPDATE safety_pin SET salt = ?, hash = ?').run(salt, hashPin('0000', salt));
    expect(() => pins.verify('0000')).toThrow(expect.objectContaining({ code: 'OTA_010' }));
    expect(() => pins.reset('tech')).toThrow(expect.objectContaining({ code: 'OTA_010' }));
    pins.set('1111', '7392');
    expect(() => pins.verify('1111')).not.toThrow();
  });

  it('hashes with the stronger parameters and upgrades an old hash on a good PIN', () => {
    const { db, pins } = setup();
    pins.set('7392');
    const row = () => db.prepare('SELECT hash FROM safety_pin').get() as { hash: string };
    expect(row().hash).toMatch(/^scrypt:65536:8:1:/);
    const salt = 'ab'.repeat(16);
    const legacy = scryptSync('4821', Buffer.from(salt, 'hex'), 32, { N: 16384, r: 8, p: 1 });
    db.prepare('UPDATE safety_pin SET salt = ?, hash = ?').run(salt, legacy.toString('hex'));
    expect(() => pins.verify('1111')).toThrow(/Wrong PIN/);
    expect(() => pins.verify('4821')).not.toThrow();
    expect(row().hash).toMatch(/^scrypt:65536:8:1:/);
    expect(() => pins.verify('4821')).not.toThrow();
  });
});
