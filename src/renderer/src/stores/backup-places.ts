import { create } from 'zustand';
import type { ImportResult, TrustedSite, TrustSiteResult } from '../../../shared/backup-places-api';
import type {
  BackupNotification,
  BackupStatistics,
  StatPeriod,
  StorageResponse,
} from '../../../shared/backup-places';
import type { BackupUpdate } from '../../../shared/backup';
import type { RiggerErrorData } from '../../../shared/errors';
import { api, asError } from './client';
import { useToasts, type ToastLevel } from './toasts';

/** A short message about something that finished or failed while Rigger ran. */
export interface BackupNews {
  tone: 'ok' | 'bad' | 'warn';
  text: string;
}

const LEVEL: Record<BackupNews['tone'], ToastLevel> = { ok: 'ok', bad: 'error', warn: 'warn' };

type ImportUpdate = Extract<BackupUpdate, { type: 'import_progress' }>;

interface PlacesState {
  period: StatPeriod;
  stats: BackupStatistics | null;
  storage: StorageResponse | null;
  sites: TrustedSite[];
  /** A key checked and waiting for the person to confirm its fingerprint. */
  pendingKey: (TrustSiteResult & { pem: string }) | null;
  /** The import in progress, as its `import_progress` messages tell it. */
  importing: ImportUpdate | null;
  error: RiggerErrorData | null;
  /** The answer of the last import from this page. */
  imported: ImportResult | null;
  /** Whether files can be sent from here (browser mode). */
  canImport(): boolean;
  /** Import a file the browser holds; with autoRestore, recover its gateway (confirmed). */
  importFile(file: unknown, autoRestore: boolean, confirmed: boolean): Promise<void>;
  /** The desktop app: pick a backup file in the native dialog (null when cancelled). */
  pickFile(): Promise<string | null>;
  /** The desktop app: import the file picked in the native dialog, as `importFile` does. */
  importPicked(path: string, autoRestore: boolean, confirmed: boolean): Promise<void>;
  load(): Promise<void>;
  setPeriod(p: StatPeriod): Promise<void>;
  checkKey(pem: string, name?: string): Promise<void>;
  confirmKey(): Promise<void>;
  cancelKey(): void;
  revoke(fingerprint: string): Promise<void>;
  /** Tell of it in a toast over every page, with the way to the Backups page. */
  toast(tone: BackupNews['tone'], text: string): void;
  /** Follow the backup notification and progress events (once; returns the unsubscribe). */
  listen(): () => void;
}

/** The words of a notification, or null when it is not one a person needs told. */
export function toastOf(n: BackupNotification): BackupNews | null {
  switch (n.type) {
    case 'backup_completed':
      return { tone: 'ok', text: `Backup ${n.name} finished (${n.size}, ${n.duration})` };
    case 'backup_failed':
      return { tone: 'bad', text: `Backup ${n.name} failed: ${n.error}` };
    case 'restore_completed':
      return { tone: 'ok', text: `Restore of ${n.backup_id} finished` };
    case 'storage_alert':
      return { tone: n.level === 'critical' ? 'bad' : 'warn', text: `${n.storage}: ${n.message}` };
    case 'schedule_event':
      if (n.event === 'execution_failed')
        return { tone: 'bad', text: `Scheduled backup ${n.schedule_id} failed: ${n.reason ?? ''}` };
      if (n.event === 'execution_completed')
        return { tone: 'ok', text: `Scheduled backup ${n.schedule_id} finished` };
      if (n.event === 'missed' || n.event === 'postponed')
        return {
          tone: 'warn',
          text: `Scheduled backup ${n.schedule_id} ${n.event}: ${n.reason ?? ''}`,
        };
      return null;
  }
}

/** Backups across places: statistics, locations' health, trusted sites, toasts. */
export const useBackupPlaces = create<PlacesState>((set, get) => ({
  period: '30d',
  stats: null,
  storage: null,
  sites: [],
  pendingKey: null,
  importing: null,
  error: null,
  imported: null,
  canImport: () => !!api().uploadBackup || !!api().openFile,
  async pickFile() {
    const open = api().openFile;
    if (!open) return null;
    try {
      const r = await open({
        title: 'Import a backup made by another Rigger',
        filters: [{ name: 'Rigger backups', extensions: ['tar'] }],
      });
      return r.path;
    } catch (err) {
      set({ error: asError(err) });
      return null;
    }
  },
  async importPicked(path, autoRestore, confirmed) {
    set({ imported: null, error: null });
    try {
      const r = await api().call('backupPlaces.import', {
        file: path,
        ...(autoRestore ? { auto_restore: true, confirmation: confirmed } : {}),
      });
      set({ imported: r });
      await get().load();
    } catch (err) {
      set({ error: asError(err), importing: null });
    }
  },
  async importFile(file, autoRestore, confirmed) {
    const upload = api().uploadBackup;
    if (!upload) return;
    set({ imported: null, error: null });
    try {
      const fields: Record<string, string> = autoRestore
        ? { auto_restore: 'true', confirmation: String(confirmed) }
        : {};
      set({ imported: await upload(file, fields) });
      await get().load();
    } catch (err) {
      set({ error: asError(err), importing: null });
    }
  },
  async load() {
    try {
      const [stats, storage, sites] = await Promise.all([
        api().call('backupPlaces.statistics', { period: get().period }),
        api().call('backupPlaces.storage', {}),
        api().call('backupPlaces.trustedSites', {}),
      ]);
      set({
        stats: stats as BackupStatistics,
        storage: storage as StorageResponse,
        sites: sites.sites,
        error: null,
      });
    } catch (err) {
      set({ error: asError(err) });
    }
  },
  async setPeriod(period) {
    set({ period });
    await get().load();
  },
  async checkKey(pem, name) {
    try {
      const r = await api().call('backupPlaces.trustSite', { pem, ...(name ? { name } : {}) });
      set({ pendingKey: r.status === 'confirm' ? { ...r, pem } : null, error: null });
      if (r.status === 'trusted') get().toast('ok', `${r.name} is already trusted`);
    } catch (err) {
      set({ error: asError(err) });
    }
  },
  async confirmKey() {
    const k = get().pendingKey;
    if (!k) return;
    try {
      const r = await api().call('backupPlaces.trustSite', {
        pem: k.pem,
        name: k.name,
        confirm_fingerprint: k.fingerprint,
      });
      set({ pendingKey: null });
      get().toast('ok', `Trusted ${r.name}: its backups now import`);
      await get().load();
    } catch (err) {
      set({ error: asError(err) });
    }
  },
  cancelKey: () => set({ pendingKey: null }),
  async revoke(fingerprint) {
    try {
      const r = await api().call('backupPlaces.revokeSite', { fingerprint });
      get().toast('warn', `${r.name} is no longer trusted`);
      await get().load();
    } catch (err) {
      set({ error: asError(err) });
    }
  },
  toast(tone, text) {
    useToasts.getState().push({
      level: LEVEL[tone],
      title: 'Backups',
      text,
      link: { label: 'Open Backups', area: 'backups' },
    });
  },
  listen() {
    const notify = (n: BackupNotification) => {
      const t = toastOf(n);
      if (t) get().toast(t.tone, t.text);
      void get().load();
    };
    const offs = [
      api().on('backup_completed', notify),
      api().on('backup_failed', notify),
      api().on('restore_completed', notify),
      api().on('storage_alert', notify),
      api().on('schedule_event', notify),
      api().on('sync_progress', (e) => {
        if (e.current_step !== 'completed') return;
        get().toast('ok', `Sync ${e.sync_id ?? ''} finished`);
        void get().load();
      }),
      api().on('storage_health', () => void get().load()),
      api().on('import_progress', (e) => {
        set({ importing: e.progress >= 100 ? null : e });
        if (e.progress >= 100)
          get().toast(
            e.current_step === 'completed' ? 'ok' : 'bad',
            `Import ${e.import_id} ${e.current_step}`,
          );
      }),
    ];
    return () => offs.forEach((off) => off());
  },
}));
