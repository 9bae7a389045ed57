import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Work lands through merges; a conflict left in a file that no compiler reads (a shell script,
 * a document, a config) would otherwise reach CI, or a reader, unnoticed.
 */
const root = resolve(__dirname, '../../..');
const marker = /^(<{7}|>{7}) /m;

describe('no merge conflict markers', () => {
  it('no tracked text file holds a conflict marker', () => {
    const files = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f && !/\.(png|jpg|ico|gz|tar|bin|img)$/.test(f) && f !== 'package-lock.json');
    const found = files.filter((f) => {
      try {
        return marker.test(readFileSync(join(root, f), 'utf8'));
      } catch {
        return false; // Listed but gone from the work tree.
      }
    });
    expect(found).toEqual([]);
  });
});
