import { execFileSync } from 'node:child_process';
import { openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressUpdateEvent } from '../../../src/shared/events';
import { seedSize } from '../../../src/shared/format/bytes';
import { makeBundle } from '../../helpers/bundles';
import { core, useImportCore, vendor, work } from './import-fixture';

useImportCore();

describe('import progress', () => {
  it('reports bytes, speed and ETA while a large bundle imports', async () => {
    const big = join(work, 'progress.img');
    execFileSync('head', ['-c', String(256 * 1024 * 1024), '/dev/urandom'], {
      stdio: ['ignore', openSync(big, 'w'), 'inherit'],
    });
    const b = makeBundle(work, 'progress', {
      signer: vendor,
      id: 'progress-v5.4.0',
      version: 'v5.4.0',
      imageFile: big,
      gzipImage: false,
      gzipTar: false,
    });
    rmSync(big);
    rmSync(join(work, 'progress.d'), { recursive: true });
    const total = statSync(b.path).size;
    const seen: ProgressUpdateEvent[] = [];
    const off = core.events.on('progress_update', (e) => {
      if (e.current_operation === 'importing_image') seen.push(e);
    });
    try {
      await core.call('images.import', { path: b.path });
    } finally {
      off();
      rmSync(b.path);
    }
    await core.call('images.remove', { id: 'progress-v5.4.0' });
    const during = seen.filter((e) => (e.details.written_bytes as number) < total);
    // The first report comes with the first chunk, before any speed can be measured.
    const timed = during.slice(1);
    expect(timed.length, 'events with a speed arrive before the import ends').toBeGreaterThan(0);
    for (const e of during) {
      expect(e.details).toMatchObject({ total_bytes: total, bytes_total: seedSize(total) });
      expect(e.details.bytes_written).toMatch(/^\d+(\.\d+)?[kMGT]?B$/);
      expect(e.details.written_bytes as number).toBeGreaterThan(0);
      expect(e.progress).toBeLessThanOrEqual(100);
    }
    for (const e of timed) {
      expect(e.details.speed).toMatch(/^\d+(\.\d+)?[KMGT]?B\/s$/);
      expect(e.details.speed).not.toBe('0B/s');
      expect(e.eta).toMatch(/^\d{2}:\d{2}:\d{2}$/);
      expect(e.progress).toBeGreaterThan(0);
    }
    // Bytes only grow, and the last event is the whole file.
    const done = seen.map((e) => e.details.written_bytes as number);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(seen.at(-1)).toMatchObject({
      progress: 100,
      details: { written_bytes: total, bytes_written: seedSize(total) },
    });
  });
});
