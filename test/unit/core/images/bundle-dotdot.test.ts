import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../../../src/main/core/images/blob-store';
import { readBundle } from '../../../../src/main/core/images/bundle-reader';

const work = mkdtempSync(join(tmpdir(), 'rigger-dotdot-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bundle members that climb out', () => {
  it('refuses a member stored as ../NAME, and leaves no temporary file', async () => {
    const dir = join(work, 'inner');
    mkdirSync(dir);
    writeFileSync(join(dir, 'manifest.json'), '{}');
    writeFileSync(join(dir, 'manifest.sig'), 'c2ln');
    writeFileSync(join(dir, 'gateway.img'), Buffer.alloc(4096, 1));
    writeFileSync(join(work, 'escape'), 'outside');
    const tar = join(work, 'dotdot.tar');
    // -P keeps the leading ../ that GNU tar would otherwise strip (and then it would test nothing).
    execFileSync('tar', [
      '-P',
      '-C',
      dir,
      '-cf',
      tar,
      'manifest.json',
      'manifest.sig',
      'gateway.img',
      '../escape',
    ]);
    expect(execFileSync('tar', ['-tf', tar]).toString()).toContain('../escape');
    const store = createBlobStore(join(work, 'store'));
    const err = await readBundle(tar, store).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((err as Error).message).toContain('../escape');
    expect(readdirSync(join(work, 'store', 'tmp'))).toEqual([]);
  });
});
