import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Backups being brought into a store from a location wait in `.incoming/ID` until every file
 * is there and proven; a cut sync leaves them for the next one to finish. One that is never
 * synced again would stay for good, so those left longer than this are removed.
 */
export const INCOMING_KEEP_MS = 7 * 24 * 3600 * 1000;

/** Incoming folders a pull of this process is filling (another process's keep fresh mtimes). */
const FILLING = new Set<string>();

/** Where backup `id` waits in the store at `root` while it is brought in. */
export const incomingOf = (root: string, id: string) => join(root, '.incoming', id);

/** Mark an incoming folder as being filled (never swept meanwhile); returns the release. */
export function holdIncoming(dir: string): () => void {
  FILLING.add(dir);
  return () => FILLING.delete(dir);
}

/** The newest mtime of a folder and everything under it (links not followed). */
function newest(path: string): number {
  const st = lstatSync(path);
  let t = st.mtimeMs;
  if (st.isDirectory()) for (const n of readdirSync(path)) t = Math.max(t, newest(join(path, n)));
  return t;
}

/**
 * Remove what interrupted pulls left in the store's `.incoming` folder and nobody touched for
 * `keepMs`: not a folder a pull here holds, nor one a pull elsewhere is still writing into.
 * Returns the ids removed; never throws (a folder it cannot read or remove waits for the next).
 */
export function sweepIncoming(root: string, now = Date.now(), keepMs = INCOMING_KEEP_MS): string[] {
  const removed: string[] = [];
  let ids: string[];
  try {
    ids = readdirSync(join(root, '.incoming'));
  } catch {
    return removed;
  }
  for (const id of ids) {
    const dir = incomingOf(root, id);
    try {
      if (FILLING.has(dir) || now - newest(dir) < keepMs) continue;
      rmSync(dir, { recursive: true, force: true });
      removed.push(id);
    } catch {
      // Changed or removed meanwhile: judged again at the next opening.
    }
  }
  return removed;
}
