import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { makeBundle, opensslEd25519 } from '../../helpers/bundles';

// The browser's way into the library: a streamed multipart upload, imported as a typed path is.
const work = mkdtempSync(join(tmpdir(), 'rigger-upimp-'));
const dataDir = join(work, 'data');
let core: Core;
let server: RunningServer;
let vendor: { key: string; pub: string };

beforeAll(async () => {
  core = createCore({ dataDir, mode: 'test' });
  vendor = opensslEd25519(work);
  await core.call('keys.add', { path: vendor.pub });
  server = await startServer({ core });
});
afterAll(async () => {
  await server.close();
  await core.close();
});

async function upload(file: string, name: string, token = server.token) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), name);
  const res = await fetch(`${server.url}api/upload/import`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const uploadsLeft = () => {
  try {
    return readdirSync(join(dataDir, 'uploads'));
  } catch {
    return [];
  }
};

describe('POST /api/upload/import', () => {
  it('imports a signed bundle sent as a multipart upload, and keeps no copy in the uploads', async () => {
    const b = makeBundle(work, 'good', { signer: vendor, id: 'up-v5.0.7', version: 'v5.0.7' });
    const r = await upload(b.path, 'bundle.tar.gz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'up-v5.0.7', version: 'v5.0.7', signature: 'verified' });
    expect((await core.call('images.list', {})).map((i) => i.id)).toContain('up-v5.0.7');
    expect(uploadsLeft()).toEqual([]);
  });

  it('an untrusted signer is refused (OTA_006) and nothing is kept', async () => {
    const stranger = opensslEd25519(work, 'stranger');
    const b = makeBundle(work, 'bad', { signer: stranger, id: 'up-v6.0.0', version: 'v6.0.0' });
    const r = await upload(b.path, 'bad.tar.gz');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.body).toMatchObject({ code: 'OTA_006' });
    expect((await core.call('images.list', {})).map((i) => i.id)).not.toContain('up-v6.0.0');
    expect(uploadsLeft()).toEqual([]);
  });

  it('refuses without the token', async () => {
    const b = makeBundle(work, 'tok', { signer: vendor, id: 'up-v5.0.8', version: 'v5.0.8' });
    expect((await upload(b.path, 'x.tar.gz', 'wrong')).status).toBe(401);
  });
});
