import { describe, expect, it } from 'vitest';
import type { BackupManifest, ManifestEntry } from '../../../../src/main/core/backup/manifest';
import { parseStatLines, quickPlan } from '../../../../src/main/core/backup/quick-check';

const GNU = [
  'drwxr-xr-x 0/0               0 2025-03-15 10:00:00 data/app/',
  '-rw-r----- 1000/1000      1234 2025-03-15 10:00:01 data/app/name with spaces.conf',
  'lrwxrwxrwx 0/0               0 2025-03-15 10:00:02 data/app/current -> v2',
  '-rwsr-xr-x 0/0              10 2025-03-15 10:00:03 data/app/tool',
].join('\n');

const entry = (
  e: Partial<ManifestEntry> & Pick<ManifestEntry, 'path' | 'type'>,
): ManifestEntry => ({
  component: 'data',
  mode: 0o755,
  uid: 0,
  gid: 0,
  mtime: Date.parse('2025-03-15T10:00:00Z') / 1000,
  size: 0,
  ...e,
});

const previous = (entries: ManifestEntry[]): BackupManifest =>
  ({ started_at: '2025-03-16T00:00:00Z', entries }) as unknown as BackupManifest;

describe("the quick check's listing", () => {
  it('reads GNU and BusyBox lines: names with spaces, symlink targets, set-uid modes', () => {
    const lines = parseStatLines(GNU)!;
    expect(lines.map((l) => [l.path, l.type])).toEqual([
      ['/data/app', 'd'],
      ['/data/app/name with spaces.conf', '-'],
      ['/data/app/current', 'l'],
      ['/data/app/tool', '-'],
    ]);
    const bb = parseStatLines('-rw-r--r-- root/root 3 2025-03-15 10:00:01 data/a')!;
    expect(bb[0]).toMatchObject({ owner: 'root/root', path: '/data/a' });
  });

  it('gives up (full read) on what it cannot read for sure', () => {
    // A hard link, printed by BusyBox like a symlink and by GNU with "link to".
    expect(parseStatLines('-rw-r--r-- 0/0 3 2025-03-15 10:00:01 data/a -> data/b')).toBeNull();
    expect(parseStatLines('hrw-r--r-- 0/0 0 2025-03-15 10:00:01 data/a link to data/b')).toBeNull();
    // GNU's escaped names, and a time to the minute only.
    expect(parseStatLines('-rw-r--r-- 0/0 3 2025-03-15 10:00:01 data/caf\\303\\251')).toBeNull();
    expect(parseStatLines('-rw-r--r-- 0/0 3 2025-03-15 10:00 data/a')).toBeNull();
  });

  it('takes only entries whose every attribute matches, settled and stored', () => {
    const lines = parseStatLines(GNU)!;
    const prev = previous([
      entry({ path: '/data/app', type: 'dir' }),
      entry({
        path: '/data/app/name with spaces.conf',
        type: 'file',
        mode: 0o640,
        uid: 1000,
        gid: 1000,
        size: 1234,
        mtime: Date.parse('2025-03-15T10:00:01Z') / 1000,
        sha256: 'a'.repeat(64),
      }),
      entry({
        path: '/data/app/current',
        type: 'symlink',
        mode: 0o777,
        link: 'v1',
        mtime: Date.parse('2025-03-15T10:00:02Z') / 1000,
      }),
      entry({
        path: '/data/app/tool',
        type: 'file',
        mode: 0o4755,
        size: 10,
        mtime: Date.parse('2025-03-15T10:00:03Z') / 1000,
        sha256: 'b'.repeat(64),
      }),
    ]);
    const plan = quickPlan(lines, prev, 'data', (sha) => sha === 'a'.repeat(64));
    // The symlink's target changed; the tool's content is not in the store.
    expect([...plan.reuse.keys()]).toEqual(['/data/app', '/data/app/name with spaces.conf']);
    expect(plan.changed.map((l) => l.path)).toEqual(['/data/app/current', '/data/app/tool']);
    // Changed in the last 2 s before the previous backup began: never trusted.
    const racy = { ...prev, started_at: '2025-03-15T10:00:02Z' };
    expect([...quickPlan(lines, racy, 'data', () => true).reuse.keys()]).toEqual(['/data/app']);
  });
});
