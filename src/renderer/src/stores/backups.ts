import { create } from 'zustand';
import type { OperationInput } from '../../../shared/api';
import type {
  BackupList,
  BackupStatus,
  BackupUpdate,
  RecoveryPreview,
  SnapshotItem,
} from '../../../shared/backup';
import type { RiggerErrorData } from '../../../shared/errors';
import { api, asError } from './client';

/** A backup or a recovery being followed by its `/ws/backup/updates` messages. */
export interface BackupOperation {
  kind: 'backup' | 'recovery';
  id: string;
  label: string;
  update: BackupUpdate | null;
  /** How it ended (null while it runs). */
  outcome: 'success' | 'failed' | 'cancelled' | null;
  message: string | null;
}

interface BackupsState {
  status: BackupStatus | null;
  list: BackupList | null;
  snapshots: SnapshotItem[];
  loading: boolean;
  error: RiggerErrorData | null;
  operation: BackupOperation | null;
  preview: { backup_id: string; gateway: string; value: RecoveryPreview } | null;
  previewing: boolean;
  exported: string | null;
  /** The gateway whose backups are shown. */
  gateway: string | null;
  load(gateway?: string | null): Promise<void>;
  create(input: OperationInput<'backup.create'>): Promise<void>;
  remove(id: string): Promise<void>;
  exportFile(id: string): Promise<void>;
  /** Read a backup back whole; the table's integrity column shows the result. */
  verify(id: string): Promise<void>;
  loadPreview(id: string, gateway: string): Promise<void>;
  recover(id: string, pin?: string): Promise<void>;
  clearPreview(): void;
}

/** The Backups page: overview, the backups and snapshots, and the operation in progress. */
export const useBackups = create<BackupsState>((set, get) => {
  /** Follow an operation's job: its progress messages, then its end. */
  const follow = (kind: BackupOperation['kind'], id: string, label: string) => {
    set({ operation: { kind, id, label, update: null, outcome: null, message: null } });
    const offs = [
      api().on(kind === 'backup' ? 'backup_progress' : 'restore_progress', (e) => {
        const op = get().operation;
        const mine =
          e.type === 'backup_progress'
            ? e.job_id === id
            : e.type === 'restore_progress' && e.restore_id === id;
        if (op?.id === id && mine) set({ operation: { ...op, update: e } });
      }),
      api().on('job_complete', (e) => {
        const op = get().operation;
        if (e.job_id !== id) return;
        offs.forEach((off) => off());
        if (op?.id === id) set({ operation: { ...op, outcome: e.status, message: e.message } });
        void get().load();
      }),
    ];
  };
  const attempt = async (fn: () => Promise<void>) => {
    set({ error: null });
    try {
      await fn();
    } catch (err) {
      set({ error: asError(err) });
    }
  };
  return {
    status: null,
    list: null,
    snapshots: [],
    loading: false,
    error: null,
    operation: null,
    preview: null,
    previewing: false,
    exported: null,
    gateway: null,
    async load(gateway = get().gateway) {
      set({ loading: true, gateway });
      const only = gateway ? { gateway } : {};
      try {
        const [status, list, snaps] = await Promise.all([
          api().call('backup.status', {}),
          api().call('backup.list', { limit: 200, ...only }),
          api().call('backup.snapshots', only),
        ]);
        set({ status, list, snapshots: snaps.snapshots, error: null });
      } catch (err) {
        set({ error: asError(err) });
      } finally {
        set({ loading: false });
      }
    },
    create: (input) =>
      attempt(async () => {
        const r = await api().call('backup.create', input);
        follow('backup', r.job_id, `Backup ${input.name}`);
      }),
    remove: (id) =>
      attempt(async () => {
        await api().call('backup.delete', { backup_id: id });
        await get().load();
      }),
    verify: (id) =>
      attempt(async () => {
        await api().call('backup.verify', { backup_id: id });
        await get().load();
      }),
    exportFile: (id) =>
      attempt(async () => {
        const r = await api().call('backup.download', { backup_id: id });
        set({ exported: r.path });
      }),
    async loadPreview(id, gateway) {
      set({ previewing: true, preview: null, error: null });
      try {
        const value = await api().call('recovery.preview', { backup_id: id, gateway });
        set({ preview: { backup_id: id, gateway, value } });
      } catch (err) {
        set({ error: asError(err) });
      } finally {
        set({ previewing: false });
      }
    },
    recover: (id, pin) =>
      attempt(async () => {
        const r = await api().call('recovery.initiate', {
          backup_id: id,
          confirmation: true,
          ...(pin ? { pin } : {}),
        });
        set({ preview: null });
        follow('recovery', r.recovery_id, `Recovery from ${id}`);
      }),
    clearPreview: () => set({ preview: null }),
  };
});
