import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rigger as run } from '../../helpers/cli';

const rigger = (dataDir: string, ...args: string[]) => run('--data-dir', dataDir, ...args);

describe('rigger settings and the override PIN', () => {
  afterEach(() => {
    delete process.env.RIGGER_PIN;
  });

  it('lowering a safety gate needs the PIN (RIGGER_PIN), a harmless change does not', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-setcli-'));
    process.env.RIGGER_PIN = '7392';
    expect((await rigger(data, 'safety', 'pin')).code).toBe(0);
    delete process.env.RIGGER_PIN;
    const refused = await rigger(
      data,
      'settings',
      'set',
      'safety_constraints.crane_motion_lock',
      'false',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/OTA_010/);
    expect(
      (await rigger(data, 'settings', 'get', 'safety_constraints.crane_motion_lock')).out.trim(),
    ).toBe('true');
    expect((await rigger(data, 'settings', 'set', 'rigger.theme', 'dark')).code).toBe(0);
    process.env.RIGGER_PIN = '7392';
    const ok = await rigger(
      data,
      'settings',
      'set',
      'safety_constraints.crane_motion_lock',
      'false',
    );
    expect(ok.code, ok.err).toBe(0);
    expect(
      (await rigger(data, 'settings', 'get', 'safety_constraints.crane_motion_lock')).out.trim(),
    ).toBe('false');
  });

  it('a PIN whose record was deleted waits for an audited reset that says what it did', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-pinreset-'));
    process.env.RIGGER_PIN = '7392';
    expect((await rigger(data, 'safety', 'pin')).code).toBe(0);
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(join(data, 'rigger.db'));
    db.prepare('DELETE FROM safety_pin').run();
    db.close();
    process.env.RIGGER_PIN = '0000';
    const again = await rigger(data, 'safety', 'pin');
    expect(again.code).not.toBe(0);
    expect(again.err).toMatch(/missing/);
    const reset = await rigger(data, 'safety', 'pin', '--reset');
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toMatch(/was reset/);
    expect((await rigger(data, 'safety', 'pin')).code).toBe(0);
  });
});
