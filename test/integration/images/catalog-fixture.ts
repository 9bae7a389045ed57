import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { makeBundle, opensslEd25519 } from '../../helpers/bundles';
import { addSimGateway } from '../../helpers/sim-gateway';
import { updateServer, type UpdateServer } from './update-server';

/*
 * The catalog, download and upload-verify test files share one setup: a vendor key, a bundle
 * signed with it, and (for the core's tests) an update server serving it, a core trusting the
 * key and the test gateway added as `gw`. The `let` exports are live bindings, set when the
 * file's tests start.
 */
export const work = mkdtempSync(join(tmpdir(), 'rigger-cat-'));
export const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export let vendor: { key: string; pub: string };
export let bundle: { path: string; manifest: Record<string, unknown>; image: Buffer };
export let bytes: Buffer;

/** Make the vendor key and the v5.0.5 bundle before the file's tests. */
export function useVendorBundle(): void {
  beforeAll(() => {
    vendor = opensslEd25519(work);
    bundle = makeBundle(work, 'cat', { signer: vendor, version: 'v5.0.5', size: 600_000 });
    bytes = readFileSync(bundle.path);
  });
}

/** A catalog document of the stable channel holding `entries`. */
export const catalogOf = (entries: object[]) =>
  JSON.stringify({
    catalog: 1,
    channel: 'stable',
    generated: '2025-03-15T10:30:00Z',
    updates: entries,
  });
/** The catalog entry of the v5.0.5 bundle. */
export const entry = () => ({
  id: 'univa-gw-pro-v5.0.5',
  version: 'v5.0.5',
  type: 'security',
  severity: 'critical',
  size: bundle.image.length,
  released: '2025-03-15',
  description: 'Security patches',
  changelog: ['Fixed CVE-2025-1234'],
  prerequisites: ['v5.0.0+'],
  compatible: { models: ['Univa-GW-Pro'], hardware_revisions: ['RevA', 'RevB'] },
  bundle_url: 'v5.0.5/univa-gw-pro-v5.0.5.tar.gz',
  bundle_sha256: sha(bytes),
  bundle_size: bytes.length,
});

export let core: Core;
export let sim: GatewaySim;
export let srv: UpdateServer;

/**
 * In a describe: an update server serving the catalog and the bundle (cutting the first
 * transfer), a core trusting the vendor key, the test gateway added as `gw`; all stopped after.
 */
export function useCatalogCore(): void {
  beforeAll(async () => {
    srv = await updateServer(
      {
        '/stable/catalog.json': catalogOf([entry()]),
        '/stable/v5.0.5/univa-gw-pro-v5.0.5.tar.gz': bytes,
      },
      { cutAfter: 200_000 },
    );
    core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
    await core.call('keys.add', { path: vendor.pub });
    sim = await startGatewaySim({ scheme: 'bootcount', versions: { A: 'v5.0.4', B: 'v5.0.3' } });
    await addSimGateway(core, sim);
  });
  afterAll(async () => {
    await core.close();
    await sim.stop();
    await srv.close();
  });
}
