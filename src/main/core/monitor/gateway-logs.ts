import { gunzipSync, constants as zc } from 'node:zlib';
import type { Profile } from '../../../shared/profile';
import { shq, type GatewaySession } from '../gateways/session';
import type { SshSession } from '../gateways/ssh-session';

export interface LogFile {
  path: string;
  text: string;
}

/** Bytes of text kept of one file (after decompression), on the gateway and again here. */
export const LOG_FILE_BOUND = 16 * 1024 * 1024;
/** Bytes of output read from one collection, whatever the gateway sends. */
export const LOG_TOTAL_BOUND = 96 * 1024 * 1024;
const CAP = LOG_FILE_BOUND;

/**
 * One exec that reads every file under the profile's log paths (one level of folders), gzip +
 * base64 so any bytes survive, plus the journal where the gateway has journalctl. Paths that
 * are missing or unreadable are named, not fatal.
 */
export function logScript(paths: string[], names?: string): string {
  // `names`: a shell case pattern (`*.conf|*.json`) to take only some files.
  const pick = names ? `    case "$f" in ${names}) ;; *) continue ;; esac` : '';
  return [
    // Cut the text, not the compressed bytes: a small .gz can inflate to gigabytes.
    'emit() { echo "@@FILE $1"; { case "$1" in *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac; } | head -c ' +
      CAP +
      ' | gzip -c | base64; echo "@@END"; }',
    `for p in ${paths.map(shq).join(' ')}; do`,
    '  if [ ! -e "$p" ]; then echo "@@MISSING $p does not exist"; continue; fi',
    '  if [ -d "$p" ]; then set -- "$p"/* "$p"/*/*; else set -- "$p"; fi',
    '  for f in "$@"; do',
    '    [ -f "$f" ] || continue',
    pick,
    '    if [ -r "$f" ] && head -c 1 "$f" >/dev/null 2>&1; then emit "$f"; else echo "@@MISSING $f cannot be read"; fi',
    '  done',
    'done',
    `if command -v journalctl >/dev/null 2>&1; then echo "@@FILE journal"; journalctl -o short-iso -n 5000 --no-pager 2>/dev/null | head -c ${CAP} | gzip -c | base64; echo "@@END"; fi`,
  ].join('\n');
}

/** Split the script's output into files (decompressed; a cut-off gzip keeps what it has) and misses. */
export function parseLogOutput(out: string): {
  files: LogFile[];
  missing: Array<{ path: string; reason: string }>;
} {
  const files: LogFile[] = [];
  const missing: Array<{ path: string; reason: string }> = [];
  let current: { path: string; b64: string[] } | null = null;
  for (const line of out.split('\n')) {
    if (line.startsWith('@@FILE ')) current = { path: line.slice(7), b64: [] };
    else if (line === '@@END' && current) {
      const gz = Buffer.from(current.b64.join(''), 'base64');
      let text = '';
      try {
        // Bounded here too: a gateway that ignores `head` cannot inflate past the bound.
        text = gz.length
          ? gunzipSync(gz, { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: CAP }).toString('utf8')
          : '';
      } catch (err) {
        missing.push({
          path: current.path,
          reason: `not readable as text (${(err as Error).message})`,
        });
      }
      if (text) files.push({ path: current.path, text });
      current = null;
    } else if (line.startsWith('@@MISSING ')) {
      const rest = line.slice(10);
      const cut = rest.search(/ (does not exist|cannot be read)$/);
      missing.push({
        path: cut > 0 ? rest.slice(0, cut) : rest,
        reason: cut > 0 ? rest.slice(cut + 1) : 'cannot be read',
      });
    } else if (current) current.b64.push(line.trim());
  }
  return { files, missing };
}

/** Read files under `paths` on the gateway (all of them, or those matching `names`). */
export async function readGatewayFiles(session: GatewaySession, paths: string[], names?: string) {
  const script = logScript(paths, names);
  const streaming = session as GatewaySession & Partial<Pick<SshSession, 'execRead'>>;
  if (!streaming.execRead) {
    // A serial console moves about 11 KB/s: it cannot bring more than the bound in time.
    const r = await session.exec('sh -s', { stdin: script, timeoutMs: 120_000 });
    return parseLogOutput(r.stdout.toString('utf8'));
  }
  const { stdout, done } = await streaming.execRead(
    `sh -s <<'@@RIGGER-LOGS@@'\n${script}\n@@RIGGER-LOGS@@`,
  );
  const parts: Buffer[] = [];
  let size = 0;
  let cut = false;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    if (size + chunk.length > LOG_TOTAL_BOUND) {
      parts.push(chunk.subarray(0, LOG_TOTAL_BOUND - size));
      cut = true;
      break;
    }
    parts.push(chunk);
    size += chunk.length;
  }
  if (cut) stdout.destroy();
  await done.catch(() => undefined);
  const read = parseLogOutput(Buffer.concat(parts).toString('utf8'));
  if (cut)
    read.missing.push({
      path: paths.join(', '),
      reason: `more than ${LOG_TOTAL_BOUND} bytes: the rest was not read`,
    });
  return read;
}

/** Read the gateway's logs. */
export const readGatewayLogs = (session: GatewaySession, profile: Profile) =>
  readGatewayFiles(session, profile.log_paths);
