import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { createCore, type Core } from '../../../src/main/core/core';
import { opensslEd25519 } from '../../helpers/bundles';

/*
 * The image-import test files share one setup: a core in a fresh folder that trusts one vendor
 * Ed25519 key. `core` and `vendor` are live bindings, set when the file's tests start.
 */
export const work = mkdtempSync(join(tmpdir(), 'rigger-img-'));
export let core: Core;
export let vendor: { key: string; pub: string };

/** Open the core and trust the vendor key before the file's tests; close it after them. */
export function useImportCore(): void {
  beforeAll(async () => {
    core = createCore({ dataDir: join(work, 'data'), mode: 'test' });
    vendor = opensslEd25519(work);
    await core.call('keys.add', { path: vendor.pub });
  });
  afterAll(() => core.close());
}

/** Everything under the image store, minus empty folders: proves nothing half-imported stays. */
export function storedFiles(): string[] {
  const root = join(core.info.data_dir, 'images');
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(root);
  return out;
}

/** Import `path` expecting a refusal that leaves the store and the library as they were. */
export async function refused(path: string, extra: Record<string, unknown> = {}) {
  const before = storedFiles().length;
  const rows = (await core.call('images.list', {})).length;
  const err = await core.call('images.import', { path, ...extra }).then(
    () => null,
    (e) => e,
  );
  expect(err, 'the import was refused').not.toBeNull();
  expect(storedFiles().length).toBe(before);
  expect((await core.call('images.list', {})).length).toBe(rows);
  return err as { code: string; message: string; details: Record<string, unknown> };
}
