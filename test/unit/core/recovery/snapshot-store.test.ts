import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSnapshotStore,
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

describe("the earlier versions' snapshot store (read for the migration)", () => {
  it('lists newest first per gateway; remove deletes the row and its files', () => {
    const { s, add } = store();
    add('old', 40, 'gw', true);
    add('new', 1);
    add('other', 90, 'gw2');
    expect(s.list('gw').map((r) => r.id)).toEqual(['new', 'old']);
    expect(s.list().map((r) => r.id)).toEqual(['new', 'old', 'other']);
    const old = s.find('old')!;
    expect(old.slot_image?.sha256).toBe('b'.repeat(64));
    expect(s.present(old)).toBe(true);
    s.remove(old);
    expect(s.find('old')).toBeNull();
    expect(existsSync(s.path('old.tar.gz'))).toBe(false);
    expect(existsSync(s.path('old.slot-A.img.gz'))).toBe(false);
  });
});
