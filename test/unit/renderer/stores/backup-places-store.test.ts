import { beforeEach, describe, expect, it } from 'vitest';
import { setClient } from '../../../../src/renderer/src/stores/client';
import { toastOf, useBackupPlaces } from '../../../../src/renderer/src/stores/backup-places';
import { useToasts } from '../../../../src/renderer/src/stores/toasts';
import { FakeApiClient } from '../fake-api-client';

let fake: FakeApiClient;
const PEM = '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----';
const FP = `sha256:${'a'.repeat(64)}`;

beforeEach(() => {
  fake = new FakeApiClient();
  setClient(fake);
  useBackupPlaces.setState({ pendingKey: null, sites: [], error: null });
  useToasts.setState({ toasts: [] });
  fake
    .answer('backupPlaces.statistics', () => ({ period: '30d' }) as never)
    .answer('backupPlaces.storage', () => ({ storage_locations: [] }) as never)
    .answer('backupPlaces.trustedSites', () => ({ sites: [] }))
    .answer('backupPlaces.trustSite', (i) =>
      i.confirm_fingerprint === FP
        ? { status: 'trusted', name: 'quay-2', fingerprint: FP, already: false }
        : { status: 'confirm', name: 'quay-2', fingerprint: FP, message: 'compare' },
    );
});

describe('the backup places store', () => {
  it('toasts what finished or failed, and not what only started', () => {
    const at = '2026-01-01T02:00:00Z';
    expect(
      toastOf({
        type: 'schedule_event',
        event: 'execution_failed',
        schedule_id: 'n',
        timestamp: at,
        reason: 'link down',
      }),
    ).toEqual({ tone: 'bad', text: 'Scheduled backup n failed: link down' });
    expect(
      toastOf({
        type: 'schedule_event',
        event: 'execution_started',
        schedule_id: 'n',
        timestamp: at,
      }),
    ).toBeNull();
    expect(
      toastOf({
        type: 'backup_completed',
        backup_id: 'b',
        name: 'nightly',
        size: '2 MB',
        duration: '00:00:05',
        timestamp: at,
      })?.tone,
    ).toBe('ok');
    const off = useBackupPlaces.getState().listen();
    fake.emit({
      type: 'sync_progress',
      sync_id: 'SYNC-1',
      progress: 100,
      current_step: 'completed',
    });
    fake.emit({
      type: 'backup_failed',
      backup_id: 'b',
      name: 'nightly',
      error: 'disk full',
      timestamp: at,
    });
    expect(useToasts.getState().toasts.map((t) => t.text)).toEqual([
      'Sync SYNC-1 finished',
      'Backup nightly failed: disk full',
    ]);
    off();
    expect(fake.listeners('backup_failed')).toBe(0);
  });

  it('trusts a key only after its fingerprint was shown and confirmed', async () => {
    await useBackupPlaces.getState().checkKey(PEM, 'quay-2');
    expect(useBackupPlaces.getState().pendingKey).toMatchObject({ fingerprint: FP, pem: PEM });
    expect(fake.calls.filter((c) => c.op === 'backupPlaces.trustSite')).toHaveLength(1);
    await useBackupPlaces.getState().confirmKey();
    const calls = fake.calls.filter((c) => c.op === 'backupPlaces.trustSite');
    expect(calls[1]!.input).toEqual({ pem: PEM, name: 'quay-2', confirm_fingerprint: FP });
    expect(useBackupPlaces.getState().pendingKey).toBeNull();
  });

  it('the desktop app: a backup file picked in the native dialog is imported by its path', async () => {
    const asked: unknown[] = [];
    fake.openFile = async (input) => (
      asked.push(input),
      { path: '/media/usb/b1.rigger-backup.tar' }
    );
    fake.answer('backupPlaces.import', () => ({ imported: true }) as never);
    expect(useBackupPlaces.getState().canImport()).toBe(true);
    const path = await useBackupPlaces.getState().pickFile();
    expect(asked[0]).toMatchObject({ filters: [{ extensions: ['tar'] }] });
    await useBackupPlaces.getState().importPicked(path!, true, true);
    expect(fake.calls.find((c) => c.op === 'backupPlaces.import')?.input).toEqual({
      file: '/media/usb/b1.rigger-backup.tar',
      auto_restore: true,
      confirmation: true,
    });
    expect(useBackupPlaces.getState().imported).toEqual({ imported: true });
  });
});
