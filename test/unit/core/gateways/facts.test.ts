import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { factScript, parseFacts } from '../../../../src/main/core/gateways/facts';

describe('fact script', () => {
  it("round-trips each section's output and exit status through a real sh", () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigger-facts-'));
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', 'id'), 'A=1\nB="two words"\n');
    const script = factScript({
      id: `cat ${join(dir, 'etc', 'id')}`,
      missing: `cat ${join(dir, 'nope')}`,
      exits: 'echo partial; exit 3',
      binary: "printf '@@RIGGER@@ fake 0\\n'",
    });
    const out = execFileSync('sh', ['-s'], { input: script }).toString();
    const facts = parseFacts(out);
    expect(facts.id).toEqual({ rc: 0, out: 'A=1\nB="two words"' });
    expect(facts.missing?.rc).not.toBe(0);
    expect(facts.exits).toEqual({ rc: 3, out: 'partial' });
    expect(facts.binary).toEqual({ rc: 0, out: '@@RIGGER@@ fake 0' });
    expect(facts.fake).toBeUndefined();
  });
});
