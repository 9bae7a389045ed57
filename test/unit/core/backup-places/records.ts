import type { BackupRecord } from '../../../../src/shared/backup-places';

/** A completed backup record for tests: one file whose hash is its id unless blobs are given. */
export function rec(
  id: string,
  created_at: string,
  over: Partial<BackupRecord> = {},
): BackupRecord {
  return {
    id,
    gateway: 'GW-001',
    type: 'full',
    created_at,
    size: 100,
    files: [{ path: `${id}.bin`, sha256: `h-${id}`, size: 100 }],
    verified: false,
    protected: false,
    status: 'completed',
    ...over,
  };
}

/** One backup a day at 02:00 UTC, for `days` days ending on `last` (YYYY-MM-DD), newest last. */
export function daily(
  days: number,
  last: string,
  over: Partial<BackupRecord> = {},
): BackupRecord[] {
  const end = Date.parse(`${last}T02:00:00Z`);
  return Array.from({ length: days }, (_, i) => {
    const t = new Date(end - (days - 1 - i) * 86_400_000).toISOString();
    return rec(`b${t.slice(0, 10)}`, t, over);
  });
}
