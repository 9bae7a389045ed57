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
import { RetryableError, withRetries, type RetryOptions } from '../util/retry';

export interface StoredEntry {
  entry: CatalogEntry;
  bundle_url: string;
}

const unreachable = (url: string, why: string) =>
  new RiggerError('OTA_009', `The update server cannot be used: ${why}`, { url }, [
    'Check the laptop is online and the update server URL in Settings',
    'Offline, Rigger works from the images already in its library',
  ]);

/** HTTP answers worth another try: the server is busy or briefly unwell, not wrong. */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Fetch and check `<server>/<channel>/catalog.json`, retrying with backoff (as bundle downloads
 * do) when the link drops or the server is briefly unwell; a 404, HTML or a bad catalog is final.
 */
export async function fetchCatalog(
  server: string,
  channel: string,
  opts: RetryOptions & { timeoutMs?: number } = {},
): Promise<{ url: string; catalog: Catalog }> {
  const url = `${server.replace(/\/+$/, '')}/${channel}/catalog.json`;
  const retries = opts.retries ?? 3;
  const tries = `${retries + 1} tries`;
  const text = await withRetries(
    async () => {
      let res: Response;
      try {
        res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
      } catch (err) {
        throw new RetryableError(
          'unreachable',
          unreachable(url, `${(err as Error).message} (after ${tries})`),
        );
      }
      if (TRANSIENT.has(res.status)) {
        await res.body?.cancel().catch(() => undefined);
        throw new RetryableError(
          'transient',
          unreachable(url, `it answered HTTP ${res.status} for ${url} (after ${tries})`),
        );
      }
      if (!res.ok) throw unreachable(url, `it answered HTTP ${res.status} for ${url}`);
      try {
        return await res.text();
      } catch (err) {
        throw new RetryableError(
          'dropped',
          unreachable(url, `the answer broke off: ${(err as Error).message} (after ${tries})`),
        );
      }
    },
    { retries, backoffMs: opts.backoffMs },
  );
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
