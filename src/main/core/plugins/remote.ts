import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { create as tarCreate } from 'tar';
import { RiggerError } from '../../../shared/errors';
import { pluginManifestSchema, type InstalledPlugin } from '../../../shared/plugins';
import { run, shq, type ExecResult, type GatewaySession } from '../gateways/session';
import { runStreaming } from './gateway-io';
import type { CheckedPlugin } from './zip-check';

/** The gateway side of a plugin (GATEWAY-CONTRACT.md section 6), with the contract's tools only. */

type Out = (chunk: Buffer, stream: 'stdout' | 'stderr') => void;

/** Bytes free under `dir`, from `df -Pk`. */
export async function freeBytes(session: GatewaySession, dir: string): Promise<number> {
  const out = await run(session, `df -Pk ${shq(dir)}`, { timeoutMs: 15_000 });
  const avail = Number(out.trim().split('\n')[1]?.trim().split(/\s+/)[3]);
  if (!Number.isFinite(avail))
    throw new RiggerError('COMMAND_FAILED', `Cannot read the free space under ${dir}`, {
      output: out.slice(0, 500),
    });
  return avail * 1024;
}

/** The version a link (`current`, `previous`) points at, read from its plugin.json. */
export async function versionAt(session: GatewaySession, link: string): Promise<string | null> {
  const r = await session.exec(`cat ${shq(`${link}/plugin.json`)}`, { timeoutMs: 15_000 });
  if (r.code !== 0) return null;
  try {
    return pluginManifestSchema.parse(JSON.parse(r.stdout.toString('utf8'))).version;
  } catch {
    return null;
  }
}

/** Send the proven files as a tar stream into `<base>/<version>.new/`. */
export async function stage(
  session: GatewaySession,
  base: string,
  checked: CheckedPlugin,
  out: Out,
): Promise<string> {
  const target = `${base}/${checked.manifest.version}.new`;
  const tar = Readable.from(
    tarCreate(
      { cwd: checked.dir, portable: true, noDirRecurse: true },
      checked.members.map((m) => m.path),
    ) as AsyncIterable<Buffer>,
  );
  const r = await runStreaming(
    session,
    `rm -rf ${shq(target)} && mkdir -p ${shq(target)} && tar -xf - -C ${shq(target)}`,
    { input: tar, onOutput: out },
  );
  if (r.code !== 0)
    throw new RiggerError(
      'COMMAND_FAILED',
      `Staging on the gateway failed: ${r.stderr.toString('utf8').trim().slice(-500)}`,
      { exit_code: r.code },
    );
  return target;
}

/** Prove every staged file with the gateway's own sha256sum. */
export async function prove(
  session: GatewaySession,
  target: string,
  checked: CheckedPlugin,
  out: Out,
): Promise<void> {
  const paths = checked.members.map((m) => shq(m.path)).join(' ');
  const r = await session.exec(`cd ${shq(target)} && sha256sum -- ${paths}`, {
    timeoutMs: 120_000,
  });
  out(r.stdout, 'stdout');
  if (r.stderr.length) out(r.stderr, 'stderr');
  const got = new Map<string, string>();
  for (const line of r.stdout.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line);
    if (m) got.set(m[2]!, m[1]!);
  }
  for (const m of checked.members) {
    if (got.get(m.path) !== m.sha256)
      throw new RiggerError(
        'OTA_007',
        `"${m.path}" on the gateway does not match what was sent`,
        { member: m.path, expected: m.sha256, actual: got.get(m.path) ?? null },
        ['Check the gateway storage', 'Install again'],
      );
  }
}

/** Point `<base>/<link>` at `version` atomically (`ln -s` then `mv -T`), or remove it. */
export async function pointLink(
  session: GatewaySession,
  base: string,
  link: 'current' | 'previous',
  version: string | null,
): Promise<void> {
  const b = shq(base);
  const cmd = version
    ? `cd ${b} && rm -f ${link}.new && ln -s ${shq(version)} ${link}.new && mv -T ${link}.new ${link}`
    : `rm -f ${shq(`${base}/${link}`)}`;
  await run(session, cmd, { timeoutMs: 30_000 });
}

/** Run `restart_command NAME`; all its output is terminal output. */
export function restart(
  session: GatewaySession,
  command: string,
  name: string,
  out: Out,
): Promise<ExecResult> {
  return runStreaming(session, `${command} ${shq(name)} 2>&1`, {
    onOutput: out,
    timeoutMs: 300_000,
  });
}

/** Remove every version folder but `keep` (the active and previous ones). */
export async function prune(session: GatewaySession, base: string, keep: string[]): Promise<void> {
  const cond = ['current', 'previous', ...keep].map((k) => `[ "$v" = ${shq(k)} ]`).join(' || ');
  await run(session, `cd ${shq(base)} && for v in *; do ${cond} || rm -rf -- "$v"; done`, {
    timeoutMs: 60_000,
  });
}

/** Every plugin under `dir` with its active and previous version and whether it fits `model`. */
export async function listPlugins(
  session: GatewaySession,
  dir: string,
  model: string,
): Promise<InstalledPlugin[]> {
  // A marker no plugin.json can hold by chance separates the sections.
  const mark = `@@rigger-${randomBytes(8).toString('hex')}@@`;
  const script =
    `cd ${shq(dir)} && for d in */; do [ -d "$d" ] || continue; ` +
    `echo "${mark} name $d"; cat "$d/current/plugin.json" 2>/dev/null; ` +
    `echo "${mark} previous"; cat "$d/previous/plugin.json" 2>/dev/null; echo; done`;
  const out = await run(session, script, { timeoutMs: 30_000 });
  const result: InstalledPlugin[] = [];
  for (const block of out.split(`${mark} name `).slice(1)) {
    const [head, prev = ''] = block.split(`${mark} previous`);
    const nl = head!.indexOf('\n');
    const name = head!.slice(0, nl < 0 ? undefined : nl).replace(/\/$/, '');
    const parse = (t: string) => {
      try {
        return pluginManifestSchema.parse(JSON.parse(t));
      } catch {
        return null;
      }
    };
    const cur = nl < 0 || !head!.slice(nl + 1).trim() ? null : parse(head!.slice(nl + 1));
    const present = nl >= 0 && head!.slice(nl + 1).trim().length > 0;
    const previous = prev.trim() ? parse(prev) : null;
    result.push({
      name,
      active_version: cur?.version ?? null,
      previous_version: previous?.version ?? null,
      models: cur?.models ?? [],
      fits_model: cur ? cur.models.includes(model) : false,
      state: cur ? 'active' : present ? 'unreadable' : 'no_active_version',
    });
  }
  return result;
}
