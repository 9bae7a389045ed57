import { readFileSync } from 'node:fs';
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
  });
});
