import { statSync } from 'node:fs';
import { shq, type GatewaySession } from '../gateways/session';
import type { BackupManifest, ManifestEntry } from './manifest';
import type { BackupRepository } from './repository';
import { memberPath } from './tar-ingest';

/**
 * The second backup of an unchanged gateway, without reading every file over the link: the
 * gateway lists its entries with their metadata (`tar cf - | tar tvf -`, both ends on the
 * gateway, so nothing crosses the link but the listing), and an entry whose type, mode, owner,
 * size, mtime (to the second) and link target are those the previous backup recorded, and
 * whose content is in the store, is taken from that backup. Only the others are hashed by the
 * gateway and read. As restic and borg do, this trusts a file whose size and mtime did not
 * change; an mtime within 2 s of the start of the previous backup is never trusted (it may
 * have changed again in the second it was read).
 */

/** How many backups back a previous one is looked for (newest manifests first). */
const LOOK_BACK = 10;
/** Changed names are passed on the command line: past this, the whole component is read. */
export const MAX_CHANGED_BYTES = 64 * 1024;

/** The newest backup of this gateway, encrypted alike (its objects are in the same store). */
export function previousBackup(
  repo: BackupRepository,
  gateway: string,
  encrypted: boolean,
): BackupManifest | null {
  const files = repo
    .ids()
    .map((id) => ({ id, t: statSync(repo.file(id, 'manifest')).mtimeMs }))
    .sort((a, b) => b.t - a.t)
    .slice(0, LOOK_BACK);
  for (const { id } of files) {
    try {
      const m = repo.load(id).manifest;
      if (m.gateway.name === gateway && m.encryption.enabled === encrypted) return m;
    } catch {
      // Locked, damaged or removed meanwhile: not a base to compare with.
    }
  }
  return null;
}

const TYPE_CHAR: Partial<Record<ManifestEntry['type'], string>> = {
  file: '-',
  dir: 'd',
  symlink: 'l',
};

/** `ls -l` style permissions of an entry, as `tar tv` prints them. */
function permissions(type: string, mode: number): string {
  const bit = (b: number, c: string) => (mode & b ? c : '-');
  const special = (x: boolean, s: boolean, on: string) =>
    s ? (x ? on : on.toUpperCase()) : x ? 'x' : '-';
  return (
    type +
    bit(0o400, 'r') +
    bit(0o200, 'w') +
    special(!!(mode & 0o100), !!(mode & 0o4000), 's') +
    bit(0o040, 'r') +
    bit(0o020, 'w') +
    special(!!(mode & 0o010), !!(mode & 0o2000), 's') +
    bit(0o004, 'r') +
    bit(0o002, 'w') +
    special(!!(mode & 0o001), !!(mode & 0o1000), 't')
  );
}

/** The ways `tar tv` may print an entry (owner as numbers, or as the names in the header). */
function keysOf(e: ManifestEntry, name: string): string[] {
  const type = TYPE_CHAR[e.type];
  if (!type) return [];
  const time = new Date(e.mtime * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const shown = e.type === 'symlink' ? `${name} -> ${e.link ?? ''}` : name;
  const owners = [`${e.uid}/${e.gid}`, ...(e.owner ? [e.owner] : [])];
  return owners.map((o) => `${permissions(type, e.mode)} ${o} ${e.size} ${time} ${shown}`);
}

export interface StatLine {
  /** The line with its spacing normalised. */
  key: string;
  /** The member name as tar has it (relative to /), and the absolute path. */
  name: string;
  path: string;
  /** `-` file, `d` folder, `l` symlink, other letters as tar prints them. */
  type: string;
  /** "uid/gid", or "user/group" where the gateway's tar prints names (BusyBox). */
  owner: string;
}

const LINE = /^(\S{10}) +(\S+) +(\d+) (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.+)$/;

/** Parse `tar tv` output; null when a line cannot be read for sure (then everything is read). */
export function parseStatLines(out: string): StatLine[] | null {
  const lines: StatLine[] = [];
  for (const raw of out.split('\n')) {
    if (!raw) continue;
    const m = LINE.exec(raw);
    // Escaped names (GNU quoting) and minute-only times cannot be matched safely.
    if (!m || raw.includes('\\')) return null;
    const [, perms, owner, size, time, rest] = m as unknown as string[];
    let name = rest!;
    // Hard links print "NAME link to T" (GNU) or "NAME -> T" (BusyBox): not told apart from
    // a name for sure, so a component holding one is read whole.
    if (!'-dl'.includes(perms![0]!)) return null;
    if (!perms!.startsWith('l') && (name.includes(' -> ') || name.includes(' link to ')))
      return null;
    if (perms!.startsWith('l')) {
      const at = name.indexOf(' -> ');
      if (at < 0 || name.indexOf(' -> ', at + 1) >= 0) return null;
      name = name.slice(0, at);
    }
    name = name.replace(/\/+$/, '');
    lines.push({
      key: `${perms} ${owner} ${size} ${time} ${rest!.replace(/\/+$/, '')}`,
      name,
      path: memberPath(name),
      type: perms![0]!,
      owner: owner!,
    });
  }
  return lines;
}

/** The gateway's `tar tv` listing of `paths`: metadata only crosses the link. */
export async function statListing(
  session: GatewaySession,
  paths: string[],
): Promise<StatLine[] | null> {
  const rel = paths.map((p) => shq(p.replace(/^\/+/, '') || '.')).join(' ');
  const r = await session.exec(
    `F=; case "$(tar --version 2>/dev/null)" in *GNU*) F=--full-time;; esac\n` +
      `cd / && tar cf - ${rel} | TZ=UTC0 tar tvf - --numeric-owner $F`,
    { timeoutMs: 3_600_000 },
  );
  if (r.code !== 0) return null;
  return parseStatLines(r.stdout.toString('utf8'));
}

export interface QuickPlan {
  /** Entries taken from the previous backup, by path. */
  reuse: Map<string, ManifestEntry>;
  /** Entries to read again (changed, new, or not to be trusted). */
  changed: StatLine[];
}

/** Which entries of a component can come from the previous backup. */
export function quickPlan(
  lines: StatLine[],
  previous: BackupManifest,
  component: string,
  known: (sha256: string) => boolean,
): QuickPlan {
  const before = new Map<string, ManifestEntry>();
  for (const e of previous.entries) if (e.component === component) before.set(e.path, e);
  // Changed in the second it was read, a file may have changed again unseen: only entries
  // older than the start of the previous backup's reading by 2 s are trusted (none without it).
  const settled = previous.started_at ? Date.parse(previous.started_at) / 1000 - 2 : -Infinity;
  const reuse = new Map<string, ManifestEntry>();
  const changed: StatLine[] = [];
  for (const l of lines) {
    const e = before.get(l.path);
    const same =
      !!e &&
      e.mtime <= settled &&
      keysOf(e, l.name).includes(l.key) &&
      (e.type !== 'file' || (!!e.sha256 && known(e.sha256)));
    if (same) reuse.set(l.path, e);
    else changed.push(l);
  }
  return { reuse, changed };
}
