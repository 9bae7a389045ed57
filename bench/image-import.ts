import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../src/main/core/core';
import { dropCaches, ratioLine, timeIt, timeShell } from './measure';

const SIZE_MB = Number(process.env.BENCH_IMAGE_MB ?? 1024);

/**
 * Import of a 1 GiB raw image, plain and gzip-compressed, against `sha256sum FILE` + `cp FILE`
 * (and `gzip -dc | sha256sum` + `cp`) on the same file, in the same run. Best of 3 each.
 */
export async function benchImageImport(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-bench-import-'));
  try {
    const img = join(dir, 'bench.img');
    // Random-looking content, so gzip works as hard as on a real root filesystem.
    execFileSync('bash', [
      '-c',
      `openssl enc -aes-128-ctr -pass pass:rigger -nosalt -pbkdf2 -in <(head -c ${SIZE_MB}M /dev/zero) -out ${img} 2>/dev/null; head -c $((${SIZE_MB} * 1048576 / 2)) /dev/zero | dd of=${img} bs=1M seek=${SIZE_MB / 2} conv=notrunc status=none`,
    ]);
    execFileSync('bash', ['-c', `gzip -1 -c ${img} > ${img}.gz`]);
    const lines: string[] = [`Image import, ${SIZE_MB} MiB (half random, half zeros), best of 3:`];
    for (const [label, file, reference] of [
      [
        'import .img (vs sha256sum + cp)',
        img,
        `sha256sum ${img} >/dev/null && cp ${img} ${dir}/copy`,
      ],
      [
        'import .img.gz (vs gzip -dc | sha256sum + cp)',
        `${img}.gz`,
        `gzip -dc ${img}.gz | sha256sum >/dev/null && cp ${img}.gz ${dir}/copy`,
      ],
    ] as const) {
      let best = { rigger: Infinity, reference: Infinity };
      for (let i = 0; i < 3; i++) {
        const data = join(dir, `data-${i}`);
        mkdirSync(data);
        const core = createCore({ dataDir: data, mode: 'test' });
        dropCaches();
        const r = await timeIt(() =>
          core.images.importPath(file, { unsigned: true, version: 'v1.0.0' }),
        );
        await core.close();
        rmSync(data, { recursive: true, force: true });
        dropCaches();
        const ref = timeShell(reference);
        rmSync(join(dir, 'copy'), { force: true });
        best = { rigger: Math.min(best.rigger, r), reference: Math.min(best.reference, ref) };
      }
      lines.push(ratioLine(label, best.rigger, best.reference, '<= 1.1x'));
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
