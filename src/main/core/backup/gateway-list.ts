import { RiggerError } from '../../../shared/errors';
import { run, shq, type GatewaySession } from '../gateways/session';
import { MAX_ENTRIES } from './manifest';

/**
 * Every regular file under some paths with its SHA-256, computed on the gateway with only the
 * contract's tools: the walk is POSIX sh (globs and `test`, no find), hashing one folder's files
 * per `sha256sum` call. Symlinks are not followed. A missing path prints `M path`; a name with a
 * newline stops the walk (its sha256sum line could not be read back unambiguously).
 */
export const LIST_SCRIPT = `nl='
'
w() {
  d=$1
  set --
  for f in "$d"/* "$d"/.[!.]* "$d"/..?*; do
    if [ -L "$f" ]; then :; elif [ -f "$f" ]; then
      case "$f" in *"$nl"*) echo "N $d"; exit 3;; esac
      set -- "$@" "$f"
    fi
  done
  if [ $# -gt 0 ]; then sha256sum "$@" || exit 1; fi
  for f in "$d"/* "$d"/.[!.]* "$d"/..?*; do
    if [ -d "$f" ] && [ ! -L "$f" ]; then (w "$f") || exit $?; fi
  done
}
for p do
  if [ -L "$p" ]; then :
  elif [ -d "$p" ]; then (w "$p") || exit $?
  elif [ -f "$p" ]; then sha256sum "$p" || exit 1
  elif [ -e "$p" ]; then :
  else echo "M $p"
  fi
done`;

export interface Listing {
  /** Absolute path → SHA-256. */
  files: Map<string, string>;
  missing: string[];
}

/** GNU sha256sum escapes a name holding `\\` or a newline and marks the line with a `\\`. */
function unescapeName(name: string): string {
  return name.replace(/\\(\\|n)/g, (_m, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** Parse the listing the script prints. */
export function parseListing(out: string): Listing {
  const files = new Map<string, string>();
  const missing: string[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    if (line.startsWith('M ')) {
      missing.push(line.slice(2));
      continue;
    }
    const m = /^(\\?)([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m)
      throw new RiggerError(
        'COMMAND_FAILED',
        `Unexpected line in the file listing: ${line.slice(0, 200)}`,
      );
    files.set(m[1] ? unescapeName(m[3]!) : m[3]!, m[2]!);
    if (files.size > MAX_ENTRIES)
      throw new RiggerError('VALIDATION_ERROR', `More than ${MAX_ENTRIES} files to back up`);
  }
  return { files, missing };
}

/** List the files under `paths` with their SHA-256, as the gateway computes them. */
export async function listFiles(session: GatewaySession, paths: string[]): Promise<Listing> {
  for (const p of paths)
    if (!p.startsWith('/') || p.includes('\n'))
      throw new RiggerError('VALIDATION_ERROR', `Not an absolute path: ${p}`);
  const r = await session.exec(`set -- ${paths.map(shq).join(' ')}\n${LIST_SCRIPT}`, {
    timeoutMs: 3_600_000,
  });
  const out = r.stdout.toString('utf8');
  if (r.code === 3) {
    const dir = /^N (.*)$/m.exec(out)?.[1] ?? '?';
    throw new RiggerError(
      'BACKUP_FAILED',
      `A file name under ${dir} holds a newline, which the gateway's sha256sum cannot list unambiguously`,
      { folder: dir },
      ['Rename that file on the gateway, or leave its folder out of the component'],
    );
  }
  if (r.code !== 0)
    throw new RiggerError(
      'COMMAND_FAILED',
      `The gateway could not list and hash ${paths.join(', ')} (exit ${r.code ?? r.signal}): ${r.stderr.toString('utf8').trim().slice(-500)}`,
      { exit_code: r.code, paths },
      ['Check that the paths are readable by the login user'],
    );
  return parseListing(out);
}

/** Run a component's quiesce command (a database checkpoint) before its files are read. */
export async function quiesce(session: GatewaySession, command: string): Promise<void> {
  await run(session, command, { timeoutMs: 600_000 });
}
