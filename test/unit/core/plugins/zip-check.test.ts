import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { opensslCa } from '../../../helpers/bundles';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkPluginZip } from '../../../../src/main/core/plugins/zip-check';
import { RiggerError } from '../../../../src/shared/errors';
import {
  defaultFiles,
  lieAboutSize,
  makeSigningKey,
  pluginZip,
  renameMember,
  writeZip,
  type PluginSpec,
} from './plugin-zip';

const trusted = makeSigningKey();
let dir: string;
let n = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rigger-pzip-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

let lastStage = '';
const stage = () => (lastStage = join(dir, `stage-${n++}`));
const check = (bytes: Buffer, opts: { unsigned?: boolean; maxBytes?: number } = {}) =>
  checkPluginZip(writeZip(join(dir, `p${n++}.zip`), bytes), {
    anchors: trusted.anchors,
    stageDir: stage(),
    ...opts,
  });
const signed = (spec: PluginSpec = {}) => pluginZip({ key: trusted.privateKey, ...spec });

/** The error a check fails with; the staging folder it used is gone. */
async function refusal(p: Promise<unknown>): Promise<RiggerError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RiggerError);
  expect(existsSync(lastStage)).toBe(false);
  return err as RiggerError;
}

describe('plugin ZIP check', () => {
  it('takes a signed ZIP and stages every proven file', async () => {
    const got = await check(await signed());
    expect(got.signature).toBe('verified');
    expect(got.signer).toBe(trusted.anchors.ed25519[0]!.fingerprint);
    expect(got.manifest).toMatchObject({ name: 'acs-zoning', version: '1.0.0' });
    expect(got.members.map((m) => m.path)).toEqual([
      'plugin.json',
      'plugin.sig',
      'bin/zoning',
      'etc/zones.json',
    ]);
    expect(readFileSync(join(got.dir, 'bin/zoning'))).toEqual(defaultFiles()['bin/zoning']);
  });

  it('accepts folder entries that hold listed files', async () => {
    const got = await check(await signed({ extra: [{ name: 'bin', dir: true }] }));
    expect(got.members).toHaveLength(4);
    const err = await refusal(check(await signed({ extra: [{ name: 'var/lib', dir: true }] })));
    expect(err.message).toMatch(/folder "var\/lib\/" holds nothing/);
  });

  it('refuses a signature by a key nobody trusts, naming plugin.sig', async () => {
    const err = await refusal(check(await pluginZip()));
    expect(err.code).toBe('OTA_006');
    expect(err.message).toMatch(/plugin ZIP/);
  });

  it('takes an X.509 signature with plugin.crt chaining to a trusted CA', async () => {
    const ca = opensslCa(dir, { name: 'vendor' });
    const x509 = {
      key: createPrivateKey(readFileSync(ca.leafKey)),
      certPem: readFileSync(ca.leafCrt, 'utf8'),
    };
    const caCert = new X509Certificate(readFileSync(ca.caCrt));
    const anchors = { ed25519: [], cas: [{ fingerprint: 'ca', name: 'vendor CA', cert: caCert }] };
    const path = writeZip(join(dir, 'x509.zip'), await pluginZip({ x509 }));
    const got = await checkPluginZip(path, { anchors, stageDir: stage() });
    expect(got).toMatchObject({ signature: 'verified', signer_name: 'vendor Signing' });
    expect(got.members.map((m) => m.path)).toContain('plugin.crt');
    const untrusted = await refusal(check(await pluginZip({ x509 })));
    expect(untrusted.message).toMatch(/does not chain to a trusted CA/);
  });

  it('refuses a ZIP with no signature unless the user chose unsigned', async () => {
    const bytes = await pluginZip({ key: null });
    expect((await refusal(check(bytes))).message).toMatch(/no plugin\.sig/);
    expect((await check(bytes, { unsigned: true })).signature).toBe('unsigned');
  });

  it('refuses a plugin.json changed after signing', async () => {
    const err = await refusal(check(await signed({ tamper: true })));
    expect(err.code).toBe('OTA_006');
  });

  it('refuses a ZIP without plugin.json', async () => {
    const err = await refusal(check(await signed({ noManifest: true })));
    expect(err.message).toMatch(/plugin\.json is missing/);
  });

  it('refuses ../ and absolute member names (ZIP-slip)', async () => {
    const extra = [{ name: 'xx/evil', data: Buffer.from('x') }];
    const base = await signed({ extra });
    const up = await refusal(check(renameMember(base, 'xx/evil', '../evil')));
    expect(up.message).toMatch(/climbs out with "\.\."/);
    const deep = await refusal(check(renameMember(base, 'xx/evil', 'a/../ev')));
    expect(deep.message).toMatch(/\.\./);
    const abs = await refusal(check(renameMember(base, 'xx/evil', '/tmp/ev')));
    expect(abs.message).toMatch(/absolute path/);
    const win = await refusal(check(renameMember(base, 'xx/evil', 'C:\\evil')));
    expect(win.message).toMatch(/backslash|absolute/);
  });

  it('refuses a symbolic link member, even one plugin.json lists', async () => {
    const link = { name: 'bin/link', data: Buffer.from('/etc/shadow'), mode: 0o120777 };
    const err = await refusal(check(await signed({ extra: [link] })));
    expect(err.message).toMatch(/"bin\/link" is a symbolic link/);
  });

  it('refuses a duplicate member', async () => {
    const dup = { name: 'bin/zoninX', data: defaultFiles()['bin/zoning'] };
    const err = await refusal(
      check(renameMember(await signed({ extra: [dup] }), 'bin/zoninX', 'bin/zoning')),
    );
    expect(err.message).toMatch(/appears twice/);
  });

  it('refuses an unlisted member', async () => {
    const err = await refusal(
      check(await signed({ extra: [{ name: 'bin/backdoor', data: Buffer.from('x') }] })),
    );
    expect(err.message).toMatch(/"bin\/backdoor" is not listed/);
  });

  it('refuses a listed file that is missing', async () => {
    const err = await refusal(
      check(
        await signed({
          edit: (m) => m.files.push({ path: 'lib/x.so', sha256: 'a'.repeat(64), size: 1 }),
        }),
      ),
    );
    expect(err.message).toMatch(/"lib\/x\.so" is listed in plugin\.json but not in the ZIP/);
  });

  it('refuses a member whose bytes do not match its SHA-256', async () => {
    const err = await refusal(
      check(await signed({ edit: (m) => (m.files[0]!.sha256 = '0'.repeat(64)) })),
    );
    expect(err.code).toBe('OTA_007');
  });

  it('refuses a ZIP bomb by its declared sizes, without inflating it', async () => {
    const big = Buffer.alloc(32 * 1024 * 1024);
    const err = await refusal(
      check(await signed({ files: { 'data/zero': big } }), { maxBytes: 1024 * 1024 }),
    );
    expect(err.message).toMatch(/unpacks to \d+ bytes \(at most 1048576\)/);
  });

  it('refuses a member that inflates past what it declares, and stops there', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024);
    const bytes = await signed({
      files: { 'data/zero': big },
      edit: (m) => (m.files[0]!.size = 1000),
    });
    const err = await refusal(check(lieAboutSize(bytes, 'data/zero', 1000)));
    expect(err.code).toBe('OTA_005');
    expect(err.message).toMatch(/inflates past its declared 1000 bytes|1000 declared|1000/);
  });

  it('refuses a declared size that differs from plugin.json', async () => {
    const err = await refusal(check(await signed({ edit: (m) => (m.files[0]!.size += 1) })));
    expect(err.message).toMatch(/declares \d+ bytes, plugin\.json says/);
  });

  it('refuses a plugin.json that is not the contract shape', async () => {
    const err = await refusal(check(await signed({ name: '../etc' })));
    expect(err.code).toBe('VALIDATION_ERROR');
  });

  it('refuses versions that would collide with the links or the staging folder', async () => {
    for (const version of ['current', 'previous', '2.0.new'])
      expect((await refusal(check(await signed({ version })))).code).toBe('VALIDATION_ERROR');
  });

  it('refuses a path listed both as a file and as a folder', async () => {
    const files = { bin: Buffer.from('a'), 'bin/x': Buffer.from('b') };
    expect((await refusal(check(await signed({ files })))).message).toMatch(
      /both as a file and as a folder/,
    );
  });

  it('refuses a file that is not a ZIP', async () => {
    const err = await refusal(check(Buffer.from('not a zip at all')));
    expect(err.message).toMatch(/Invalid plugin ZIP/);
  });
});
