import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSnapshotStore,
  toEntry,
  type SnapshotRow,
} from '../../../../src/main/core/recovery/snapshot-store';
import { openDatabase } from '../../../../src/main/core/store/database';

const DAY = 86_400_000;
const NOW = Date.parse('2025-03-15T12:00:00Z');

function store() {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-snap-'));
  const s = createSnapshotStore(openDatabase(dir), join(dir, 'snapshots'));
  const add = (id: string, daysAgo: number, gateway = 'gw', withSlot = false) => {
    const row: SnapshotRow = {
      id,
      gateway,
      model: 'Univa-GW-Pro',
      name: id,
      description: '',
      type: 'manual',
      created_at: new Date(NOW - daysAgo * DAY).toISOString(),
      version: 'v5.0.4',
      slot: 'A',
      includes: ['/data'],
      file: `${id}.tar.gz`,
      size: 10,
      sha256: 'a'.repeat(64),
      files: {},
      job_id: null,
      slot_image: withSlot
        ? {
            slot: 'A',
            version: 'v5.0.4',
            file: `${id}.slot-A.img.gz`,
            size: 100,
            sha256: 'b'.repeat(64),
            file_sha256: 'c'.repeat(64),
          }
        : null,
    };
    writeFileSync(s.path(row.file), 'x');
    if (row.slot_image) writeFileSync(s.path(row.slot_image.file), 'y');
    s.insert(row);
    return row;
  };
  return { s, add };
}

describe('snapshot store retention', () => {
  it('removes snapshots older than the retention days, with their files; the newest always stays', () => {
    const { s, add } = store();
    add('old', 40, 'gw', true);
    add('mid', 10);
    add('new', 1);
    add('other', 90, 'gw2');
    expect(s.retain('gw', 10, 30, NOW)).toEqual(['old']);
    expect(s.list('gw').map((r) => r.id)).toEqual(['new', 'mid']);
    expect(existsSync(s.path('old.tar.gz'))).toBe(false);
    expect(existsSync(s.path('old.slot-A.img.gz'))).toBe(false);
    // Another gateway's snapshots are not touched.
    expect(s.list('gw2').map((r) => r.id)).toEqual(['other']);
    // A lone snapshot past its age is kept: it is the only way back.
    expect(s.retain('gw2', 10, 30, NOW)).toEqual([]);
  });

  it('keeps at most max per gateway, newest first', () => {
    const { s, add } = store();
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) add(id, 4 - i);
    expect(s.retain('gw', 2, 30, NOW).sort()).toEqual(['a', 'b']);
    expect(s.list('gw').map((r) => r.id)).toEqual(['d', 'c']);
  });

  it("lists a snapshot with a slot image as bootable, with the image's facts", () => {
    const { s, add } = store();
    add('plain', 2);
    add('slot', 1, 'gw', true);
    const [slot, plain] = s.list('gw').map(toEntry);
    expect(slot).toMatchObject({
      bootable: true,
      slot_image: { slot: 'A', version: 'v5.0.4', size_bytes: 100, sha256: 'b'.repeat(64) },
    });
    expect(plain).toMatchObject({ bootable: false, slot_image: null });
  });
});
