import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDdiClient } from '../../../../src/main/core/hawkbit/ddi-client';
import { downloadArtifact } from '../../../../src/main/core/hawkbit/ddi-download';
import { startHawkbitStandin, type HawkbitStandin } from '../../../helpers/hawkbit-standin';

let hb: HawkbitStandin;
let caPem: string;
let otherCa: string;

/** A CA and a certificate for 127.0.0.1 signed by it, made by openssl. */
function makeCa(dir: string, name: string) {
  const p = (f: string) => join(dir, `${name}-${f}`);
  const sh = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  sh(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.crt'),
    '-days',
    '2',
    '-subj',
    `/CN=${name} CA`,
  );
  sh(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    p('srv.key'),
    '-out',
    p('srv.csr'),
    '-subj',
    '/CN=127.0.0.1',
  );
  execFileSync('sh', ['-c', `printf 'subjectAltName=IP:127.0.0.1\\n' > ${p('ext')}`]);
  sh(
    'x509',
    '-req',
    '-in',
    p('srv.csr'),
    '-CA',
    p('ca.crt'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-out',
    p('srv.crt'),
    '-days',
    '2',
    '-extfile',
    p('ext'),
  );
  return {
    ca: readFileSync(p('ca.crt'), 'utf8'),
    key: readFileSync(p('srv.key'), 'utf8'),
    cert: readFileSync(p('srv.crt'), 'utf8'),
  };
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-hb-tls-'));
  const site = makeCa(dir, 'site');
  otherCa = makeCa(dir, 'other').ca;
  caPem = site.ca;
  hb = await startHawkbitStandin({ tls: { key: site.key, cert: site.cert } });
  hb.addTarget('crane-7');
  hb.assign('crane-7', {
    id: '42',
    version: '5.0.5',
    distributionSetId: 5,
    chunks: [
      {
        part: 'os',
        name: 'rootfs',
        version: '5.0.5',
        artifacts: [{ filename: 'a.rbundle', content: Buffer.alloc(50_000, 7) }],
      },
    ],
  });
});
afterAll(() => hb.stop());

describe('DDI over TLS with a pinned CA', () => {
  it('trusts the server whose certificate chains to the pinned CA', async () => {
    expect(hb.url.startsWith('https://')).toBe(true);
    const c = createDdiClient(
      { url: hb.url, tenant: hb.tenant, gatewayToken: hb.gatewayToken, caPem },
      'crane-7',
    );
    const base = (await c.poll()).base;
    expect(base?.config.polling.sleep).toBe('00:05:00');
    const d = await c.deployment(base!._links.deploymentBase!.href);
    const dir = mkdtempSync(join(tmpdir(), 'rigger-hb-tls-dl-'));
    const got = await downloadArtifact(
      d.deployment.chunks[0]!.artifacts[0]!,
      dir,
      new URL(hb.url).origin,
      c.http,
    );
    expect(readFileSync(got.path).equals(Buffer.alloc(50_000, 7))).toBe(true);
  });

  it('refuses it without the CA, or with another CA pinned', async () => {
    for (const pin of [undefined, otherCa]) {
      const c = createDdiClient(
        { url: hb.url, tenant: hb.tenant, gatewayToken: hb.gatewayToken, caPem: pin },
        'crane-7',
      );
      await expect(c.poll()).rejects.toMatchObject({ code: 'OTA_009' });
    }
  });
});
