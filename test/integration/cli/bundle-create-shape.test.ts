import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_DRAFT_FIELDS } from '../../../src/main/core/images/manifest-draft';
import { makeRawImage } from '../../helpers/bundles';
import { rigger } from '../../helpers/cli';

/** A folder with a site key, an image and a manifest draft with the given fields. */
async function setup(draft: unknown): Promise<{ d: string; key: string; args: string[] }> {
  const d = mkdtempSync(join(tmpdir(), 'rigger-shape-'));
  const gen = JSON.parse((await rigger('keys', 'generate', '--out', d, '--json')).out);
  makeRawImage(join(d, 'site.img'), 20_000, 'shape');
  writeFileSync(join(d, 'm.json'), typeof draft === 'string' ? draft : JSON.stringify(draft));
  const args = ['--image', join(d, 'site.img'), '--manifest', join(d, 'm.json')];
  return { d, key: gen.privateKey, args: [...args, '--key', gen.privateKey] };
}

describe('rigger bundle create explains the manifest it expects', () => {
  it('names every missing and wrong field at once and shows the whole shape, writing nothing', async () => {
    const { d, args } = await setup({
      id: 'site-v1.0.0',
      version: 'v1.0.0',
      type: 'bugfix',
      colour: 'red',
      compatible: { models: ['Univa-GW-Pro'] },
    });
    const out = join(d, 'b.tar.gz');
    const r = await rigger('bundle', 'create', ...args, '-o', out, '--json');
    expect(r.code).toBe(1);
    const err = JSON.parse(r.err);
    expect(err.code).toBe('VALIDATION_ERROR');
    expect(err.details.issues).toEqual([
      { field: 'type', problem: expect.stringMatching(/security.*feature.*hotfix/) },
      { field: 'severity', problem: 'missing' },
      { field: 'channel', problem: 'missing' },
      { field: 'released', problem: 'missing' },
      { field: 'description', problem: 'missing' },
      { field: 'changelog', problem: 'missing' },
      { field: 'compatible.hardware_revisions', problem: 'missing' },
      { field: 'prerequisites', problem: 'missing' },
      { field: 'colour', problem: 'not a manifest field' },
    ]);
    // The whole shape, not only the wrong fields: every field with its type, and an example.
    for (const [field, type] of MANIFEST_DRAFT_FIELDS) {
      expect(err.message).toContain(field);
      expect(err.message).toContain(type);
      expect(err.details.expected[field].type).toBe(type);
    }
    expect(err.message).toContain('"hardware_revisions": ["RevA", "RevB"]');
    expect(existsSync(out)).toBe(false);
  });

  it('shows the same shape to a person at a terminal, and for a manifest that is not JSON', async () => {
    const { d, args } = await setup('{ "id": ');
    const r = await rigger('bundle', 'create', ...args, '-o', join(d, 'b.tar'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^Error \[VALIDATION_ERROR\]: The manifest .*m\.json cannot be read as JSON/,
    );
    expect(r.err).toContain('compatible.hardware_revisions');
    expect(r.err).toContain('"prerequisites": ["v5.0.0+"]');
  });

  it('takes a complete draft, and a reused full manifest whose image facts it measures again', async () => {
    const { d, args } = await setup({
      id: 'site-v1.0.0',
      version: 'v1.0.0',
      type: 'hotfix',
      severity: 'low',
      channel: 'beta',
      released: '2025-06-01',
      description: 'a site build',
      changelog: [],
      compatible: { models: ['Univa-GW-Pro'], hardware_revisions: ['RevB'] },
      prerequisites: [],
      image: { file: 'old.img', size: 1, sha256: 'stale', format: 'raw' },
    });
    const r = await rigger('bundle', 'create', ...args, '-o', join(d, 'b.tar'), '--json');
    expect(r.code).toBe(0);
    const made = JSON.parse(r.out);
    expect(made.manifest.image).toMatchObject({ file: 'site.img', size: 20_000, format: 'raw' });
    expect(made.manifest.image.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
