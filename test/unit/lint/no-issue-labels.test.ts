import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Code and comments say what a thing is, not which tracker issue asked for it: a label naming an
 * issue by number means nothing to the next reader once the issue is closed.
 */

const root = resolve(__dirname, '../../..');
const label = new RegExp(String.raw`\b[Ii]ssues? #?\d`);

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* sources(path);
    else if (/\.(ts|tsx|mts|cts|mjs|cjs)$/.test(e.name)) yield path;
  }
}

describe('no issue labels', () => {
  it('no source or test file names an issue by number', () => {
    const found: string[] = [];
    for (const dir of ['src', 'test', 'scripts', 'bench']) {
      for (const file of sources(join(root, dir))) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (label.test(line)) found.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
          });
      }
    }
    expect(found).toEqual([]);
  });
});
