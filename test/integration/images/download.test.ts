import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { downloadResumable } from '../../../src/main/core/images/download';
import { bytes, sha, useVendorBundle, work } from './catalog-fixture';
import { updateServer } from './update-server';

useVendorBundle();

describe('resumable download', () => {
  it('resumes with Range after the link drops, and the file is byte-identical', async () => {
    const srv = await updateServer({ '/b.tar.gz': bytes }, { cutAfter: 100_000, cutTimes: 3 });
    try {
      const dest = join(work, 'b.part');
      await downloadResumable(
        { url: `${srv.url}/b.tar.gz`, dest, sha256: sha(bytes), size: bytes.length },
        undefined,
        { backoffMs: 10 },
      );
      expect(sha(readFileSync(dest))).toBe(sha(bytes));
      // Each retry asks only for what is missing: offsets grow, never back to zero.
      const offsets = srv.requests.map((r) => Number(/bytes=(\d+)-/.exec(r.range ?? '')?.[1] ?? 0));
      expect(offsets.length).toBe(4);
      expect(offsets[0]).toBe(0);
      for (let i = 1; i < offsets.length; i++) expect(offsets[i]).toBeGreaterThan(offsets[i - 1]!);
    } finally {
      await srv.close();
    }
  });

  it('deletes a download whose checksum is wrong (OTA_007) and says 404 plainly (OTA_009)', async () => {
    const srv = await updateServer({ '/b.tar.gz': bytes });
    try {
      const dest = join(work, 'bad.part');
      await expect(
        downloadResumable({
          url: `${srv.url}/b.tar.gz`,
          dest,
          sha256: 'f'.repeat(64),
          size: bytes.length,
        }),
      ).rejects.toMatchObject({
        code: 'OTA_007',
        details: { expected: 'f'.repeat(64), actual: sha(bytes) },
      });
      await expect(
        downloadResumable({ url: `${srv.url}/nope`, dest, sha256: sha(bytes), size: bytes.length }),
      ).rejects.toMatchObject({ code: 'OTA_009' });
    } finally {
      await srv.close();
    }
  });
});
