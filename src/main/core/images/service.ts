import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import type { LibraryImage, UpdatesCheck, UploadVerify } from '../../../shared/images';
import type { GatewayStatus } from '../../../shared/status';
import type { AuditLog } from '../audit';
import type { CoreEvents } from '../events';
import type { GatewayService } from '../gateways/service';
import type { ProfileCatalog } from '../gateways/profile';
import type { GatewayRegistry } from '../gateways/registry';
import type { SettingsService } from '../settings';
import type { Database } from '../store/database';
import { nowIso } from '../util/time';
import { createBlobStore } from './blob-store';
import { createBlockIndexes } from './block-indexes';
import { createCatalogStore, fetchBundle, fetchCatalog } from './catalog';
import { CHUNK, chunksOf, ingest } from './ingest';
import { importFile } from './importer';
import { createUploads } from './uploads';
import { importReporter } from './import-progress';
import { createLibrary, type ImageFilter } from './library';
import { fitOf, newer, offerFromCatalog, offerFromImage, type Fit } from './offers';
import { createTrustStore } from './trust';
import { watchSigner } from './early-signer';
import {
  inspectFile,
  judgeUpload,
  readImageHead,
  subjectOfImage,
  type VerifySubject,
} from './upload-verify';
import { compareVersions } from './versions';
import type { ImageService } from './types';

interface Deps {
  db: Database;
  dataDir: string;
  settings: SettingsService;
  events: CoreEvents;
  audit: AuditLog;
  gateways: GatewayService;
  registry: GatewayRegistry;
  profiles: ProfileCatalog;
}

/** The offline image library: import, trust, index, catalog sync, and what fits a gateway. */
export function createImageService(d: Deps): ImageService {
  const store = createBlobStore(join(d.dataDir, 'images'));
  const library = createLibrary(d.db, store);
  const trust = createTrustStore(d.db);
  const catalogs = createCatalogStore(d.db);
  const quota = () => d.settings.get().rigger.image_quota_bytes;

  const reporter = importReporter(d.events);
  const openStored = (id: string) =>
    createReadStream(store.path(library.blobOf(id)), { highWaterMark: CHUNK });
  const indexes = createBlockIndexes(store, library, openStored);

  const importPath = async (
    path: string,
    opts: { unsigned?: boolean; version?: string; source?: 'file' | 'catalog' },
    onBytes?: (n: number, total: number) => void,
  ) => {
    let tracker: ReturnType<typeof reporter> | null = null;
    const image = await importFile(
      { path, ...opts },
      { store, library, trust, audit: d.audit, quotaBytes: quota() },
      (n, total) => {
        tracker ??= reporter('importing_image', total);
        tracker.add(n);
        onBytes?.(n, total);
      },
    );
    (tracker as ReturnType<typeof reporter> | null)?.done();
    return image;
  };

  const fitOfGateway = async (name: string): Promise<Fit> =>
    fitOf(await d.gateways.status(name, 'pinned-only'));

  const uploads = createUploads({
    dir: join(d.dataDir, 'uploads'),
    library,
    quota,
    importPath,
  });

  return {
    store,
    library,
    trust,
    importPath,
    list: (f: ImageFilter) => library.list(f),
    get: (id: string) => library.get(id),
    remove: (id: string) => library.remove(id),
    usage: () => ({
      ...library.usage(quota()),
      catalog_refreshed_at: catalogs.refreshedAt(d.settings.get().channels.current),
    }),
    /** Stored bytes in big chunks: a 1 GiB image makes fewer trips through the event loop. */
    openStored,
    blockIndex: (id: string) => indexes.of(id),

    /** Re-read a stored image and check it still matches its manifest. */
    async verify(id: string) {
      const image = library.get(id);
      const blob = library.blobOf(id);
      if (!store.has(blob)) {
        return {
          id,
          ok: false,
          expected: image.sha256,
          actual: 'missing',
          size_ok: false,
          checked_at: nowIso(),
        };
      }
      const got = await ingest(
        chunksOf(createReadStream(store.path(blob))),
        image.compression === 'gzip',
        store,
      ).catch((err: RiggerError) => {
        if (err.code === 'OTA_005') return null;
        throw err;
      });
      if (got) store.discard(got.temp);
      return {
        id,
        ok:
          !!got &&
          got.sha256 === image.sha256 &&
          got.size === image.size &&
          got.storedSha256 === blob,
        expected: image.sha256,
        actual: got?.sha256 ?? 'unreadable',
        size_ok: !!got && got.size === image.size,
        checked_at: nowIso(),
      };
    },

    async sync(input: { channel?: string; server?: string; download: boolean }) {
      const channel = (input.channel ??
        d.settings.get().channels.current) as UpdatesCheck['channel'];
      const server = input.server ?? d.settings.get().rigger.update_server_url;
      if (!server)
        throw new RiggerError('VALIDATION_ERROR', 'No update server is set', {}, [
          'Set the update server URL in Settings, or name it: rigger images sync --server URL',
        ]);
      const { url, catalog } = await fetchCatalog(server, channel);
      catalogs.save(channel, server, url, catalog);
      const result = {
        channel,
        server,
        refreshed_at: catalogs.refreshedAt(channel)!,
        updates: catalog.updates.length,
        downloaded: [] as string[],
        already_present: [] as string[],
        failed: [] as Array<{ id: string; code: string; message: string }>,
      };
      if (!input.download) return result;
      for (const e of catalogs.entries(channel)) {
        if (library.find(e.entry.id)) {
          result.already_present.push(e.entry.id);
          continue;
        }
        try {
          const tracker = reporter('downloading_bundle', e.entry.bundle_size);
          const file = await fetchBundle(e, join(d.dataDir, 'downloads'), (n) => tracker.add(n));
          tracker.done();
          try {
            await importPath(file, { source: 'catalog' });
          } finally {
            rmSync(file, { force: true });
          }
          result.downloaded.push(e.entry.id);
        } catch (err) {
          const re =
            err instanceof RiggerError
              ? err
              : new RiggerError('INTERNAL', String((err as Error).message));
          result.failed.push({ id: e.entry.id, code: re.code, message: re.message });
        }
      }
      return result;
    },

    async checkUpdates(input: {
      gateway: string;
      channel?: string;
      force: boolean;
    }): Promise<UpdatesCheck> {
      const channel = (input.channel ??
        d.settings.get().channels.current) as UpdatesCheck['channel'];
      let offline = false;
      if (input.force) {
        try {
          await this.sync({ channel, download: false });
        } catch (err) {
          if (
            !(err instanceof RiggerError) ||
            (err.code !== 'OTA_009' && err.code !== 'VALIDATION_ERROR')
          )
            throw err;
          offline = true;
        }
      }
      const fit = await fitOfGateway(input.gateway);
      const local = library.list({ channel }).filter((i) => newer(i.version, fit.version));
      const localIds = new Set(library.list().map((i) => i.id));
      const remote = catalogs
        .entries(channel)
        .filter((e) => !localIds.has(e.entry.id) && newer(e.entry.version, fit.version));
      const updates = [
        ...local.map((i) => offerFromImage(i, fit)),
        ...remote.map((e) => offerFromCatalog(e.entry, e.bundle_url, fit)),
      ]
        .filter((u) => u.compatible)
        .sort((a, b) => compareVersions(b.version, a.version));
      return {
        status: 'success',
        updates,
        last_checked: catalogs.refreshedAt(channel),
        // Rigger refreshes the catalog only when asked (sync, or force): no setting names an
        // interval, so no next check is scheduled.
        next_check: null,
        channel,
        gateway_version: fit.version,
        offline,
      };
    },

    /**
     * The seed's upload/verify: a library image, or a file read without importing it (its bytes
     * pass through a temporary folder that is removed), judged against the gateway's profile.
     */
    async verifyUpload(input: {
      image_id?: string;
      path?: string;
      upload?: string;
      version?: string;
      gateway: string;
    }): Promise<UploadVerify> {
      const gateway = d.registry.get(input.gateway);
      const profile = d.profiles.resolve(gateway.profile);
      let subject: VerifySubject;
      const path = input.upload ? uploads.pathOf(input.upload) : input.path;
      if (path) {
        subject = await inspectFile(path, input.version, trust.anchors(), d.dataDir);
      } else {
        const image: LibraryImage = library.get(input.image_id ?? '');
        const integrity = await this.verify(image.id);
        const blob = library.blobOf(image.id);
        const head = store.has(blob)
          ? await readImageHead(store.path(blob), image.compression === 'gzip')
          : Buffer.alloc(0);
        subject = subjectOfImage(image, integrity.ok, head);
      }
      let status: GatewayStatus | null = null;
      try {
        status = await d.gateways.status(input.gateway, 'pinned-only');
      } catch {
        status = null; // Offline gateway: judged from its profile alone.
      }
      return judgeUpload(subject, profile, status);
    },

    // A bundle whose signer is not trusted is refused while it still arrives.
    receiveUpload: (filename, body) =>
      uploads.receive(
        filename,
        watchSigner(filename, body, () => trust.anchors()),
      ),
    importUploaded: (name, opts) => uploads.importUploaded(name, opts),
    resolveDeploy: uploads.resolveDeploy,

    addKey: (path: string) => {
      let pem: string;
      try {
        pem = readFileSync(path, 'utf8');
      } catch (err) {
        throw new RiggerError('NOT_FOUND', `Cannot read ${path}: ${(err as Error).message}`, {
          path,
        });
      }
      const k = trust.add(pem);
      d.audit.record({
        action: 'trust.add',
        outcome: 'ok',
        details: { fingerprint: k.fingerprint, kind: k.kind, name: k.name },
      });
      return k;
    },
    removeKey: (fp: string) => {
      trust.remove(fp);
      d.audit.record({ action: 'trust.remove', outcome: 'ok', details: { fingerprint: fp } });
    },
  };
}

export type { ImageService } from './types';
