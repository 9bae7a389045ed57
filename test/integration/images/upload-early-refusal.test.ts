import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startServer, type RunningServer } from '../../../src/main/core/server/server';
import { makeBundle, opensslEd25519 } from '../../helpers/bundles';

// A bundle upload whose signer is not trusted is answered while the client is still sending:
// the manifest and its signature come first in a bundle, the image after them.
const work = mkdtempSync(join(tmpdir(), 'rigger-early-'));
const dataDir = join(work, 'data');
const MiB = 1024 * 1024;
/** What the client would send if nobody stopped it: far more than any socket buffer holds. */
const IMAGE_BYTES = 512 * MiB;
let core: Core;
let server: RunningServer;

beforeAll(async () => {
  core = createCore({ dataDir, mode: 'test' });
  const vendor = opensslEd25519(work);
  await core.call('keys.add', { path: vendor.pub });
  server = await startServer({ core });
});
afterAll(async () => {
  await server.close();
  await core.close();
});

/** One tar member: its header block and its content padded to 512 bytes. */
function member(path: string, content: Buffer): Buffer {
  const h = new Header({
    path,
    mode: 0o644,
    size: content.length,
    mtime: new Date(0),
    type: 'File',
  });
  h.encode();
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([h.block!, content, pad]);
}

/**
 * A multipart body: a real manifest and signature (from a bundle signed by `signer`), then an
 * image member of IMAGE_BYTES generated as the socket takes it. `sent()` is how much was taken.
 */
function bundleBody(signer: { key: string }, field = 'file') {
  const b = makeBundle(work, `big-${Math.random().toString(36).slice(2)}`, {
    signer,
    gzipTar: false,
  });
  const dir = b.path.replace(/\.tar$/, '.d');
  const head = Buffer.concat([
    member('manifest.json', readFileSync(join(dir, 'manifest.json'))),
    member('manifest.sig', readFileSync(join(dir, 'manifest.sig'))),
  ]);
  const image = new Header({
    path: 'gateway.img.gz',
    mode: 0o644,
    size: IMAGE_BYTES,
    mtime: new Date(0),
    type: 'File',
  });
  image.encode();
  const boundary = 'rigger-test-boundary';
  const open = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="big.tar"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const total = open.length + head.length + 512 + IMAGE_BYTES;
  let produced = 0;
  const chunk = Buffer.alloc(256 * 1024);
  const body = new Readable({
    read() {
      if (produced === 0) {
        produced = open.length + head.length + 512;
        return void this.push(Buffer.concat([open, head, image.block!]));
      }
      if (produced >= total) {
        this.push(Buffer.from(`\r\n--${boundary}--\r\n`));
        return void this.push(null);
      }
      const n = Math.min(chunk.length, total - produced);
      produced += n;
      this.push(chunk.subarray(0, n));
    },
  });
  return { body, boundary, sent: () => produced, total };
}

/** POST the body; resolve at the answer, with how much of the body had been taken by then. */
function post(path: string, b: ReturnType<typeof bundleBody>) {
  return new Promise<{ status: number; json: Record<string, unknown>; sentAtAnswer: number }>(
    (resolve, reject) => {
      const req = request(`${server.url.replace(/\/$/, '')}${path}`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${server.token}`,
          'Content-Type': `multipart/form-data; boundary=${b.boundary}`,
        },
      });
      req.on('response', (res) => {
        const sentAtAnswer = b.sent();
        let text = '';
        res.on('data', (d: Buffer) => (text += d));
        res.on('end', () => {
          b.body.destroy();
          req.destroy();
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text), sentAtAnswer });
        });
      });
      req.on('error', reject);
      b.body.pipe(req);
    },
  );
}

const uploadsLeft = () => {
  try {
    return readdirSync(join(dataDir, 'uploads'));
  } catch {
    return [];
  }
};

describe('an untrusted signer is refused before the upload is read', () => {
  for (const [name, path] of [
    ['the browser import', '/api/upload/import'],
    ['the seed multipart upload/verify', '/cloud-integration/upload/verify'],
  ] as const) {
    it(`${name}: answered OTA_006 while the client is still sending, nothing kept`, async () => {
      const stranger = opensslEd25519(work, `stranger-${name.length}`);
      const b = bundleBody(stranger);
      const r = await post(path, b);
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.json).toMatchObject({
        code: 'OTA_006',
        details: { refused_while_uploading: true },
        suggested_actions: expect.arrayContaining([expect.stringMatching(/Trusted keys/)]),
      });
      // The server read the manifest members and little more; the client was far from done.
      expect(r.json.details).toHaveProperty('bytes_read');
      expect((r.json.details as { bytes_read: number }).bytes_read).toBeLessThan(8 * MiB);
      expect(r.sentAtAnswer).toBeLessThan(b.total / 4);
      expect(await core.call('images.list', {})).toEqual([]);
      expect(uploadsLeft()).toEqual([]);
    });
  }
});
