import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDdiClient, sleepMs } from '../../../../src/main/core/hawkbit/ddi-client';
import { downloadArtifact } from '../../../../src/main/core/hawkbit/ddi-download';
import { startHawkbitStandin, type HawkbitStandin } from '../../../helpers/hawkbit-standin';

let hb: HawkbitStandin;
const image = randomBytes(300_000);

beforeEach(async () => {
  hb = await startHawkbitStandin();
  hb.addTarget('crane-7');
  hb.assign('crane-7', {
    id: '42',
    version: '5.0.5',
    distributionSetId: 7,
    update: 'attempt',
    maintenanceWindow: 'unavailable',
    chunks: [
      {
        part: 'os',
        name: 'crane-rootfs',
        version: '5.0.5',
        artifacts: [{ filename: 'rootfs-5.0.5.rbundle', content: image }],
      },
    ],
  });
});
afterEach(() => hb.stop());

const conn = (token = hb.gatewayToken) => ({ url: hb.url, tenant: hb.tenant, gatewayToken: token });

describe('DDI client against the hawkBit stand-in', () => {
  it('polls the base resource, then gets 304 for the same ETag', async () => {
    const c = createDdiClient(conn(), 'crane-7');
    const first = await c.poll();
    expect(first.base?.config.polling.sleep).toBe('00:05:00');
    expect(first.base?._links.deploymentBase?.href).toContain('/deploymentBase/42');
    expect(first.etag).toMatch(/^".+"$/);
    const again = await c.poll(first.etag);
    expect(again.base).toBeNull();
    expect(hb.requests.at(-1)).toMatchObject({ ifNoneMatch: first.etag });
    expect(hb.requests.at(-1)?.authorization).toBe(`GatewayToken ${hb.gatewayToken}`);
    expect(sleepMs('00:05:00')).toBe(300_000);
  });

  it('reads the deployment with its handling, window and hashes', async () => {
    const c = createDdiClient(conn(), 'crane-7');
    const base = await c.poll();
    const d = await c.deployment(base.base!._links.deploymentBase!.href);
    expect(d.id).toBe('42');
    expect(d.deployment).toMatchObject({
      download: 'forced',
      update: 'attempt',
      maintenanceWindow: 'unavailable',
    });
    const a = d.deployment.chunks[0]!.artifacts[0]!;
    expect(a.hashes.sha256).toBe(createHash('sha256').update(image).digest('hex'));
    expect(a.size).toBe(image.length);
  });

  it('says 401 for a wrong token and 404 for an unknown controller', async () => {
    await expect(createDdiClient(conn('wrong'), 'crane-7').poll()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      details: { status: 401 },
    });
    await expect(createDdiClient(conn(), 'crane-99').poll()).rejects.toMatchObject({
      code: 'NOT_FOUND',
      details: { status: 404 },
    });
  });

  it('refuses a link to another server', async () => {
    const c = createDdiClient(conn(), 'crane-7');
    await expect(c.deployment('http://198.51.100.1/x/deploymentBase/42')).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('resumes a dropped artifact download with Range and checks every hash', async () => {
    const c = createDdiClient(conn(), 'crane-7');
    const d = await c.deployment((await c.poll()).base!._links.deploymentBase!.href);
    const dir = mkdtempSync(join(tmpdir(), 'rigger-hb-'));
    hb.dropNextDownloadAfter(100_000);
    const got = await downloadArtifact(
      d.deployment.chunks[0]!.artifacts[0]!,
      dir,
      new URL(hb.url).origin,
      c.http,
      { backoffMs: 10 },
    );
    expect(readFileSync(got.path).equals(image)).toBe(true);
    const downloads = hb.requests.filter((r) => r.path.includes('/artifacts/'));
    expect(downloads.length).toBe(2);
    expect(downloads[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(downloads[1]!.range!)![0])).toBeGreaterThan(0);
  });

  it('deletes and refuses an artifact whose bytes differ from its hashes', async () => {
    hb.action('crane-7', '42').chunks[0]!.artifacts[0]!.served = Buffer.from(image).fill(1, 0, 10);
    const c = createDdiClient(conn(), 'crane-7');
    const d = await c.deployment((await c.poll()).base!._links.deploymentBase!.href);
    const dir = mkdtempSync(join(tmpdir(), 'rigger-hb-'));
    await expect(
      downloadArtifact(d.deployment.chunks[0]!.artifacts[0]!, dir, new URL(hb.url).origin, c.http),
    ).rejects.toMatchObject({ code: 'OTA_007' });
    expect(existsSync(join(dir, 'rootfs-5.0.5.rbundle'))).toBe(false);
  });

  it('refuses a server that is not a DDI server', async () => {
    const c = createDdiClient({ ...conn(), tenant: 'OTHER' }, 'crane-7');
    await expect(c.poll()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
