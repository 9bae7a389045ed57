import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import {
  catalogEntrySchema,
  catalogSchema,
  type Catalog,
  type CatalogEntry,
} from '../../../shared/images';
import { parseOrThrow } from '../../../shared/validation';
import type { Database } from '../store/database';
import { nowIso } from '../util/time';
import { downloadResumable } from './download';

export interface StoredEntry {
  entry: CatalogEntry;
  bundle_url: string;
}

const unreachable = (url: string, why: string) =>
  new RiggerError('OTA_009', `The update server cannot be used: ${why}`, { url }, [
    'Check the laptop is online and the update server URL in Settings',
    'Offline, Rigger works from the images already in its library',
  ]);

/** Fetch and check `<server>/<channel>/catalog.json`. */
export async function fetchCatalog(
  server: string,
  channel: string,
): Promise<{ url: string; catalog: Catalog }> {
  const url = `${server.replace(/\/+$/, '')}/${channel}/catalog.json`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw unreachable(url, (err as Error).message);
  }
  if (!res.ok) throw unreachable(url, `it answered HTTP ${res.status} for ${url}`);
  const text = await res.text();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw unreachable(
      url,
      `${url} is not JSON (it starts with "${text.slice(0, 40).replace(/\s+/g, ' ')}")`,
    );
  }
  const catalog = parseOrThrow(catalogSchema, raw, `Catalog ${url}`);
  if (catalog.channel !== channel)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The catalog at ${url} is for channel "${catalog.channel}", not "${channel}"`,
    );
  return { url, catalog };
}

/** The last catalog of each channel, kept for offline use. */
export interface CatalogStore {
  save(channel: string, server: string, url: string, catalog: Catalog): void;
  entries(channel?: string): StoredEntry[];
  refreshedAt(channel: string): string | null;
}

/** Catalog entries and refresh times in the database. */
export function createCatalogStore(db: Database): CatalogStore {
  return {
    save(channel, server, url, catalog) {
      db.transaction(() => {
        db.prepare('DELETE FROM catalog_entries WHERE channel = ?').run(channel);
        const ins = db.prepare(
          'INSERT INTO catalog_entries (channel, id, entry, bundle_url) VALUES (?, ?, ?, ?)',
        );
        for (const u of catalog.updates)
          ins.run(channel, u.id, JSON.stringify(u), new URL(u.bundle_url, url).toString());
        db.prepare(
          `INSERT INTO catalog_state (channel, server, generated, refreshed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(channel) DO UPDATE SET server = excluded.server, generated = excluded.generated, refreshed_at = excluded.refreshed_at`,
        ).run(channel, server, catalog.generated, nowIso());
      })();
    },
    entries(channel) {
      const rows = (
        channel
          ? db
              .prepare('SELECT entry, bundle_url FROM catalog_entries WHERE channel = ?')
              .all(channel)
          : db.prepare('SELECT entry, bundle_url FROM catalog_entries').all()
      ) as Array<{ entry: string; bundle_url: string }>;
      return rows.map((r) => ({
        entry: catalogEntrySchema.parse(JSON.parse(r.entry)),
        bundle_url: r.bundle_url,
      }));
    },
    refreshedAt(channel) {
      const r = db
        .prepare('SELECT refreshed_at FROM catalog_state WHERE channel = ?')
        .get(channel) as { refreshed_at: string } | undefined;
      return r?.refreshed_at ?? null;
    },
  };
}

/** Download one catalog bundle into `downloadsDir` (resuming a partial one); returns its path. */
export async function fetchBundle(
  e: StoredEntry,
  downloadsDir: string,
  onBytes?: (n: number) => void,
): Promise<string> {
  mkdirSync(downloadsDir, { recursive: true });
  const part = join(downloadsDir, `${e.entry.bundle_sha256}.part`);
  await downloadResumable(
    { url: e.bundle_url, dest: part, sha256: e.entry.bundle_sha256, size: e.entry.bundle_size },
    onBytes,
  );
  const done = join(downloadsDir, `${e.entry.bundle_sha256}.tar.gz`);
  rmSync(done, { force: true });
  renameSync(part, done);
  return done;
}
