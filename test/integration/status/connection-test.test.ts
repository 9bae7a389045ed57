import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createCore, type Core } from '../../../src/main/core/core';
import { memorySecretStore } from '../../../src/main/core/secrets';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { freePort } from '../../helpers/ports';

// Connection tests against the real sshd of the test gateway: each answer is what was found,
// and nothing is ever saved by a test.
const USER = 'rigger-test-pw';
const PASSWORD = `Crane-9 ${randomBytes(12).toString('base64')}`;

describe('gateways.testConnection against the test gateway', () => {
  let sim: GatewaySim;
  let core: Core;
  const dir = mkdtempSync(join(tmpdir(), 'rigger-conntest-'));
  beforeAll(async () => {
    sim = await startGatewaySim({
      scheme: 'bootcount',
      passwordUser: { name: USER, password: PASSWORD },
    });
  });
  afterAll(async () => sim?.stop());
  afterEach(async () => core?.close());

  const fresh = () => {
    core = createCore({
      dataDir: mkdtempSync(join(dir, 'data-')),
      mode: 'test',
      secrets: memorySecretStore(),
    });
    return core;
  };
  const keyConnection = (keyFile = sim.keyFile, port = sim.port) => ({
    type: 'ssh' as const,
    host: sim.host,
    port,
    user: sim.user,
    auth: { method: 'key' as const, key_file: keyFile },
  });

  it('a new host key: reachable, its SHA-256 fingerprint, no login before it is accepted', async () => {
    const c = fresh();
    const r = await c.call('gateways.testConnection', {
      name: 'crane-1',
      profile: sim.profilePath,
      connection: keyConnection(),
    });
    expect(r).toMatchObject({
      ok: false,
      reachable: true,
      login: null,
      host_key: { fingerprint: sim.hostKeyFingerprint, state: 'new', pinned_fingerprint: null },
      problem: { reason: 'host_key_new', code: 'HOST_KEY_UNKNOWN' },
    });
    expect(r.host_key!.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await c.call('gateways.list', {})).toEqual([]);
  });

  it('accepted: the login works and the identity is read; saving pins exactly that key', async () => {
    const c = fresh();
    const r = await c.call('gateways.testConnection', {
      name: 'crane-1',
      profile: sim.profilePath,
      connection: keyConnection(),
      accept_fingerprint: sim.hostKeyFingerprint,
    });
    expect(r).toMatchObject({
      ok: true,
      reachable: true,
      login: true,
      problem: null,
      host_key: { state: 'new', fingerprint: sim.hostKeyFingerprint },
      identity: { model: 'Univa-GW-Pro', version: 'v5.0.4' },
    });
    expect(r.identity!.gateway_id).toBeTruthy();
    expect(await c.call('gateways.list', {})).toEqual([]);
    const g = await c.call('gateways.add', {
      name: 'crane-1',
      profile: sim.profilePath,
      connection: keyConnection(),
      host_key: { algorithm: r.host_key!.algorithm, fingerprint: r.host_key!.fingerprint },
    });
    expect(g.host_key).toMatchObject({ fingerprint: sim.hostKeyFingerprint });
    // Pinned, not trusted on first use: a status with pinned-only works at once.
    const s = await c.gateways.status('crane-1', 'pinned-only');
    expect(s.gateway.model).toBe('Univa-GW-Pro');
    const again = await c.call('gateways.testConnection', { name: 'crane-1' });
    expect(again).toMatchObject({ ok: true, host_key: { state: 'known' } });
  });

  it('an accepted fingerprint that is not the one offered: changed, no login', async () => {
    const c = fresh();
    const r = await c.call('gateways.testConnection', {
      connection: keyConnection(),
      accept_fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(r).toMatchObject({
      ok: false,
      login: null,
      host_key: { state: 'changed', fingerprint: sim.hostKeyFingerprint },
      problem: { reason: 'host_key_changed', code: 'HOST_KEY_CHANGED' },
    });
  });

  it('a wrong password: the login is refused, about the login and not a key file', async () => {
    const c = fresh();
    const r = await c.call('gateways.testConnection', {
      connection: {
        type: 'ssh',
        host: sim.host,
        port: sim.port,
        user: USER,
        auth: { method: 'password', password: 'not the password' },
      },
      accept_fingerprint: sim.hostKeyFingerprint,
    });
    expect(r).toMatchObject({
      ok: false,
      reachable: true,
      login: false,
      problem: { reason: 'auth_refused', code: 'AUTH_FAILED' },
    });
    const right = await c.call('gateways.testConnection', {
      connection: {
        type: 'ssh',
        host: sim.host,
        port: sim.port,
        user: USER,
        auth: { method: 'password', password: PASSWORD },
      },
      accept_fingerprint: sim.hostKeyFingerprint,
    });
    expect(right).toMatchObject({ ok: true, login: true, identity: null });
  });

  it('a key file in the wrong format (the .pub half, garbage): about the file, not the user name', async () => {
    const c = fresh();
    const garbage = join(dir, 'garbage.key');
    writeFileSync(garbage, 'PuTTY-User-Key-File-3: ssh-ed25519\nnot a key\n');
    for (const file of [`${sim.keyFile}.pub`, garbage]) {
      const r = await c.call('gateways.testConnection', {
        connection: keyConnection(file),
        accept_fingerprint: sim.hostKeyFingerprint,
      });
      expect(r).toMatchObject({
        ok: false,
        reachable: true,
        login: null,
        host_key: { fingerprint: sim.hostKeyFingerprint },
        problem: { reason: 'key_format', code: 'AUTH_FAILED' },
      });
      expect(r.problem!.message).toContain(file);
      expect(r.problem!.suggested_actions.join(' ')).not.toMatch(/user name/i);
      expect(r.problem!.suggested_actions.join(' ')).toMatch(/\.pub|OpenSSH/);
    }
    const missing = await c.call('gateways.testConnection', {
      connection: keyConnection(join(dir, 'no-such.key')),
    });
    expect(missing.problem).toMatchObject({ reason: 'key_unreadable' });
  });

  it('a port nothing listens on: unreachable, no host key', async () => {
    const c = fresh();
    const r = await c.call('gateways.testConnection', {
      connection: keyConnection(sim.keyFile, await freePort()),
    });
    expect(r).toMatchObject({
      ok: false,
      reachable: false,
      host_key: null,
      login: null,
      problem: { reason: 'unreachable', code: 'HOST_UNREACHABLE' },
    });
    expect(r.problem!.message).toMatch(/refused/);
  });

  it('a changed host key of a saved gateway: CHANGED with both fingerprints, nothing changed', async () => {
    const c = fresh();
    await c.call('gateways.add', {
      name: 'crane-2',
      profile: sim.profilePath,
      connection: keyConnection(),
      host_key: { algorithm: 'ssh-ed25519', fingerprint: sim.hostKeyFingerprint },
    });
    const before = await c.call('gateways.get', { name: 'crane-2' });
    const old = sim.hostKeyFingerprint;
    const now = await sim.regenerateHostKey();
    const r = await c.call('gateways.testConnection', { name: 'crane-2' });
    expect(r).toMatchObject({
      ok: false,
      reachable: true,
      login: null,
      host_key: { state: 'changed', fingerprint: now, pinned_fingerprint: old },
      problem: { reason: 'host_key_changed', code: 'HOST_KEY_CHANGED' },
    });
    // A test of a new gateway at the same address knows the pinned key too.
    const other = await c.call('gateways.testConnection', { connection: keyConnection() });
    expect(other.host_key).toMatchObject({ state: 'changed', pinned_fingerprint: old });
    expect(await c.call('gateways.get', { name: 'crane-2' })).toEqual(before);
  });

  it('a key with a passphrase: none given, a wrong one, the right one (kept sealed when saved)', async () => {
    const c = fresh();
    const locked = join(dir, 'locked_ed25519');
    copyFileSync(sim.keyFile, locked);
    execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'crane deck 7', '-f', locked]);
    const auth = (passphrase?: string) => ({
      type: 'ssh' as const,
      host: sim.host,
      port: sim.port,
      user: sim.user,
      auth: { method: 'key' as const, key_file: locked, ...(passphrase ? { passphrase } : {}) },
    });
    const accept = { accept_fingerprint: sim.hostKeyFingerprint };
    const none = await c.call('gateways.testConnection', { connection: auth(), ...accept });
    expect(none.problem).toMatchObject({ reason: 'key_passphrase', code: 'AUTH_FAILED' });
    const wrong = await c.call('gateways.testConnection', { connection: auth('nope'), ...accept });
    expect(wrong.problem).toMatchObject({ reason: 'key_passphrase_wrong' });
    expect(wrong.problem!.suggested_actions.join(' ')).not.toMatch(/user name/i);
    const right = await c.call('gateways.testConnection', {
      connection: auth('crane deck 7'),
      ...accept,
    });
    expect(right).toMatchObject({ ok: true, login: true });
    const g = await c.call('gateways.add', {
      name: 'locked',
      profile: sim.profilePath,
      connection: auth('crane deck 7'),
      host_key: { algorithm: 'ssh-ed25519', fingerprint: sim.hostKeyFingerprint },
    });
    expect(JSON.stringify(g)).not.toContain('crane deck 7');
    await expect(c.gateways.status('locked', 'pinned-only')).resolves.toMatchObject({
      status: 'online',
    });
    // The stored passphrase serves a test of the saved gateway too.
    await expect(c.call('gateways.testConnection', { name: 'locked' })).resolves.toMatchObject({
      ok: true,
    });
  });
});
