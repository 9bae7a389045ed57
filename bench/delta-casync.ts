import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every chunk file of a casync store, by name (its content hash), with its stored size. */
function chunks(store: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const sub of readdirSync(store)) {
    const d = join(store, sub);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) if (f.endsWith('.cacnk')) out.set(f, statSync(join(d, f)).size);
  }
  return out;
}

/**
 * What Debian's `casync` fetches to build `next` with `old` as seed: its index plus every
 * (compressed) chunk of the new store that the seed's chunking does not already give.
 * Chunking and compression are casync's defaults (64 KiB average chunks).
 */
export function casyncBytes(
  dir: string,
  old: string,
  next: string,
): { bytes: number; chunks: number } {
  execFileSync(
    'casync',
    ['make', `--store=${join(dir, 'old.castr')}`, join(dir, 'old.caibx'), old],
    { stdio: 'ignore' },
  );
  execFileSync(
    'casync',
    ['make', `--store=${join(dir, 'new.castr')}`, join(dir, 'new.caibx'), next],
    { stdio: 'ignore' },
  );
  const seed = chunks(join(dir, 'old.castr'));
  let bytes = statSync(join(dir, 'new.caibx')).size;
  let count = 0;
  for (const [name, size] of chunks(join(dir, 'new.castr'))) {
    if (!seed.has(name)) {
      bytes += size;
      count++;
    }
  }
  execFileSync('rm', ['-rf', join(dir, 'old.castr'), join(dir, 'new.castr')]);
  return { bytes, chunks: count };
}
