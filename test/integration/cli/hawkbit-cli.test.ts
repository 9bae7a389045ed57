import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/main/core/core';
import { memorySecretStore } from '../../../src/main/core/secrets';
import { rigger as run } from '../../helpers/cli';
import { startHawkbitStandin, type HawkbitStandin } from '../../helpers/hawkbit-standin';

/** `rigger hawkbit config|status|sync` on a data folder, and the token sealed by a keychain. */
describe('rigger hawkbit', () => {
  let hb: HawkbitStandin;
  beforeAll(async () => {
    hb = await startHawkbitStandin();
  });
  afterAll(async () => {
    delete process.env.RIGGER_TEST_HB_CLI;
    await hb?.stop();
  });

  it('sets up the server with the token from the environment, shows it and syncs', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-hbcli-'));
    const rigger = async (...args: string[]) => {
      const r = await run('--data-dir', data, 'hawkbit', ...args, '--json');
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out) as unknown;
    };
    process.env.RIGGER_TEST_HB_CLI = hb.gatewayToken;
    const cfg = [
      'config',
      '--url',
      hb.url,
      '--tenant',
      hb.tenant,
      '--gateway-token-env',
      'RIGGER_TEST_HB_CLI',
      '--controller',
      'crane-9=ctl-9',
    ];
    expect(await rigger(...cfg)).toEqual({
      url: hb.url,
      tenant: hb.tenant,
      ca_pinned: false,
      controllers: { 'crane-9': 'ctl-9' },
      management_user: null,
      gateway_token: 'environment',
      management_password: 'missing',
    });
    expect(await rigger('status')).toMatchObject({ assignments: [], pending: [] });
    // A gateway mapped by hand that Rigger does not know: said so, nothing else is touched.
    expect(await rigger('sync')).toMatchObject({
      gateways: [
        { gateway: 'crane-9', controller_id: 'ctl-9', ok: false, error: { code: 'NOT_FOUND' } },
      ],
    });
    expect(hb.requests).toEqual([]);
    const bad = await run('--data-dir', data, 'hawkbit', 'config', '--url', 'ftp://x', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.err)).toMatchObject({ code: 'VALIDATION_ERROR' });
  }, 60_000);

  it('seals a typed token with the keychain: neither the database nor a file holds it in clear', async () => {
    const data = mkdtempSync(join(tmpdir(), 'rigger-hbkey-'));
    const core = createCore({ dataDir: data, mode: 'test', secrets: memorySecretStore() });
    try {
      const c = await core.call('hawkbit.config', {
        url: hb.url,
        gateway_token: 'typed-token-123',
        management_user: 'rigger',
        management_password: 'typed-password-456',
      });
      expect(c).toMatchObject({ gateway_token: 'keychain', management_password: 'keychain' });
      const s = await core.call('hawkbit.sync', {});
      expect(s.gateways).toEqual([]);
    } finally {
      await core.close();
    }
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    for (const f of files(data)) {
      const text = readFileSync(f).toString('latin1');
      expect(text, f).not.toContain('typed-token-123');
      expect(text, f).not.toContain('typed-password-456');
    }
  });
});
