import { create } from 'zustand';
import type { RiggerErrorData } from '../../../shared/errors';
import type { ProgressUpdateEvent } from '../../../shared/events';
import type { LibraryImage, LibraryUsage, TrustedKey } from '../../../shared/images';
import { api, asError } from './client';

const IMPORT_FILTERS = [
  { name: 'Bundles and images', extensions: ['tar', 'gz', 'tgz', 'img', 'squashfs'] },
  { name: 'All files', extensions: ['*'] },
];

interface ImagesState {
  images: LibraryImage[];
  usage: LibraryUsage | null;
  keys: TrustedKey[];
  busy: string | null;
  progress: ProgressUpdateEvent | null;
  error: RiggerErrorData | null;
  notice: string | null;
  /** A file chosen in the dialog or dropped on the page, to fill the import form. */
  chosenPath: string | null;
  load(): Promise<void>;
  /** Open the native file dialog (desktop app); the chosen path fills the import form. */
  pickFile(): Promise<void>;
  /** A file dropped on the page: its path in the desktop app, else a hint to type it. */
  dropFile(file: File): void;
  importFile(path: string, unsigned?: { version: string }): Promise<void>;
  /** Import a file the browser holds (its picker or a drop) as a streamed upload. */
  uploadFile(file: File): Promise<void>;
  remove(id: string): Promise<void>;
  verify(id: string): Promise<void>;
  sync(): Promise<void>;
  addKey(pem: string): Promise<void>;
  removeKey(fingerprint: string): Promise<void>;
  onProgress(e: ProgressUpdateEvent): void;
}

/** The offline library as the UI sees it; long actions report their progress events here. */
export const useImages = create<ImagesState>((set, get) => {
  /** Run one action with a busy label; its error (if any) is kept for display. */
  const act = async (label: string, fn: () => Promise<string | void>) => {
    set({ busy: label, error: null, notice: null, progress: null });
    try {
      const notice = await fn();
      set({ notice: notice ?? null });
      await get().load();
    } catch (err) {
      set({ error: asError(err) });
    } finally {
      set({ busy: null });
    }
  };
  return {
    images: [],
    usage: null,
    keys: [],
    busy: null,
    progress: null,
    error: null,
    notice: null,
    chosenPath: null,
    async pickFile() {
      const client = api();
      if (!client.openFile) {
        set({
          notice:
            'The browser cannot open a file dialog for Rigger: type the path of the file below.',
        });
        return;
      }
      try {
        const r = await client.openFile({
          title: 'Import an image or bundle',
          filters: IMPORT_FILTERS,
        });
        if (r.path) set({ chosenPath: r.path, error: null });
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    dropFile(file) {
      // The desktop app knows a dropped file's path; a browser sends the file itself.
      const path = api().pathForFile?.(file);
      if (path) set({ chosenPath: path });
      else if (api().uploadImage) void get().uploadFile(file);
      else
        set({
          notice: `In this window, type the path of ${file.name} below: it cannot read a dropped file.`,
        });
    },
    uploadFile: (file) =>
      act('Uploading', async () => {
        const client = api();
        if (!client.uploadImage) throw new Error('This window imports files by path');
        const img = await client.uploadImage(file);
        return `Imported ${img.id} (${img.version}) from ${file.name}, signature ${img.signature}.`;
      }),
    async load() {
      try {
        const [images, usage, keys] = await Promise.all([
          api().call('images.list', {}),
          api().call('images.usage', {}),
          api().call('keys.list', {}),
        ]);
        set({ images, usage, keys });
      } catch (err) {
        set({ error: asError(err) });
      }
    },
    importFile: (path, unsigned) =>
      act('Importing', async () => {
        const img = await api().call('images.import', {
          path,
          ...(unsigned ? { unsigned: true, version: unsigned.version } : {}),
        });
        return `Imported ${img.id} (${img.version}), signature ${img.signature}.`;
      }),
    remove: (id) =>
      act('Deleting', async () => (await api().call('images.remove', { id }), `Deleted ${id}.`)),
    verify: (id) =>
      act('Checking', async () => {
        const r = await api().call('images.verify', { id });
        return r.ok
          ? `${id} is intact.`
          : `${id} is DAMAGED: expected ${r.expected}, found ${r.actual}. Delete it and import it again.`;
      }),
    sync: () =>
      act('Syncing', async () => {
        const r = await api().call('images.sync', { download: true });
        return `Catalog ${r.channel}: ${r.updates} updates; downloaded ${r.downloaded.length}, already here ${r.already_present.length}${r.failed.length ? `, FAILED ${r.failed.map((f) => `${f.id} (${f.message})`).join('; ')}` : ''}.`;
      }),
    addKey: (pem) =>
      act('Adding key', async () => (await api().call('keys.add', { pem }), 'Key trusted.')),
    removeKey: (fingerprint) =>
      act(
        'Removing key',
        async () => (await api().call('keys.remove', { fingerprint }), 'Key removed.'),
      ),
    onProgress(e) {
      if (get().busy) set({ progress: e });
    },
  };
});
