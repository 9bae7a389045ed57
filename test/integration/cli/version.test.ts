import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rigger } from '../../helpers/cli';

describe('rigger --version', () => {
  it("prints the version of Rigger's package.json and exits 0", async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const r = await rigger(flag);
      expect(r.code).toBe(0);
      expect(r.out.trim()).toBe(pkg.version);
    }
    expect((await rigger('--help')).out).toContain('rigger --version');
  });

  it("leaves a command's own --version option to that command", async () => {
    const d = mkdtempSync(join(tmpdir(), 'rigger-version-'));
    const missing = join(d, 'missing.img');
    const r = await rigger(
      '--data-dir',
      join(d, 'data'),
      'images',
      'import',
      missing,
      '--unsigned',
      '--version',
      'v1.0.0',
      '--json',
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.err)).toMatchObject({ code: 'NOT_FOUND' });
  });
});
