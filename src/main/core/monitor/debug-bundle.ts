import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { create as createTar } from 'tar';
import type { DebugAnswer } from '../../../shared/monitor';
import type { Profile } from '../../../shared/profile';
import { factScript, parseFacts } from '../gateways/facts';
import { formatBytes } from '../../../shared/format/bytes';
import { shq, type GatewaySession } from '../gateways/session';
import { readGatewayFiles } from './gateway-logs';
import { privateDir, privateFile } from '../util/private-files';
import { redact } from './redact';

const KEEP_DAYS = 7;
const CONFIG_NAMES =
  '*.conf|*.cfg|*.ini|*.json|*.yaml|*.yml|*.env|*.config|*.toml|*-release|*.service';

export interface DebugRequest {
  include_logs: boolean;
  include_config: boolean;
  include_system_info: boolean;
  compression: 'gzip' | 'none';
  output?: string;
}

interface Member {
  name: string;
  from: string;
  bytes: number;
  redacted: number;
}

/** Remove bundles past their expiry from Rigger's debug folder. */
export function sweepExpired(dir: string, now = Date.now()): void {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const f = join(dir, n);
    if (now - statSync(f).mtimeMs > KEEP_DAYS * 86400_000) rmSync(f, { force: true });
  }
}

/**
 * Capture a debug bundle over the session into a tar(.gz) on this laptop: logs, configuration
 * with secrets redacted, system facts, the bootloader environment, the status file, Rigger's
 * own history of the gateway, and a manifest of what is inside and what could not be read.
 */
export async function captureDebugBundle(
  session: GatewaySession,
  profile: Profile,
  gatewayName: string,
  history: unknown[],
  req: DebugRequest,
  debugDir: string,
): Promise<DebugAnswer> {
  const started = Date.now();
  const id = `debug-${gatewayName}-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}`;
  const work = mkdtempSync(join(tmpdir(), 'rigger-debug-'));
  const members: Member[] = [];
  const missing: DebugAnswer['missing'] = [];
  const contents: string[] = [];
  /** Every member leaves redacted; the manifest says how many values each one lost. */
  const put = (name: string, raw: string, from: string) => {
    const { text, count } = name === 'manifest.json' ? { text: raw, count: 0 } : redact(raw);
    const file = join(work, name);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, text, { mode: 0o600 });
    members.push({ name, from, bytes: Buffer.byteLength(text), redacted: count });
  };
  const safeName = (p: string) => p.replace(/^\/+/, '').replace(/\.\.+/g, '_');
  try {
    // The boot state is always worth having: it is what a rollback or a brick is about.
    const facts = parseFacts(
      (
        await session.exec('sh -s', {
          stdin: factScript({
            bootloader_env: `fw_printenv -c ${shq(profile.bootloader.fw_env_config)}`,
            status_file: `cat ${shq(profile.status_file)}`,
            cmdline: `cat ${shq(profile.cmdline_file)}`,
            identity: `cat ${shq(profile.identity_file)}`,
            ...(req.include_system_info
              ? {
                  uname: 'uname -a',
                  os_release: `cat ${shq(profile.os_release_file)}`,
                  df: 'df -P',
                  mounts: 'cat /proc/mounts',
                  dmesg: 'dmesg | head -c 2000000',
                  processes: 'ps -ef 2>/dev/null || ps',
                  memory: 'cat /proc/meminfo',
                }
              : {}),
          }),
          timeoutMs: 60_000,
        })
      ).stdout.toString('utf8'),
    );
    for (const [name, fact] of Object.entries(facts)) {
      if (!fact) continue;
      if (fact.rc === 0 || fact.out) put(`system/${name}.txt`, fact.out + '\n', name);
      else
        missing.push({ item: name, reason: `the command failed on the gateway (exit ${fact.rc})` });
    }
    contents.push('Bootloader environment and slot state');
    if (req.include_system_info)
      contents.push(
        'System information (uname, os-release, disks, mounts, kernel log, processes, memory)',
      );

    if (req.include_logs) {
      const logs = await readGatewayFiles(session, profile.log_paths);
      for (const f of logs.files) put(`logs/${safeName(f.path)}`, f.text, f.path);
      missing.push(...logs.missing.map((m) => ({ item: m.path, reason: m.reason })));
      contents.push('Gateway logs');
    }
    if (req.include_config) {
      const conf = await readGatewayFiles(session, profile.data_paths, CONFIG_NAMES);
      for (const f of conf.files) put(`config/${safeName(f.path)}`, f.text, f.path);
      missing.push(...conf.missing.map((m) => ({ item: m.path, reason: m.reason })));
      contents.push('Configuration files (secrets redacted)');
    }
    put('rigger/history.json', JSON.stringify(history, null, 2) + '\n', 'rigger');
    contents.push("Rigger's history of this gateway");

    const manifest = {
      bundle_id: id,
      gateway: gatewayName,
      created_at: new Date().toISOString(),
      connection: session.target,
      members: [...members],
      redacted_values: members.reduce((n, m) => n + m.redacted, 0),
      missing,
    };
    put('manifest.json', JSON.stringify(manifest, null, 2) + '\n', 'rigger');

    const gzip = req.compression === 'gzip';
    const out = resolve(req.output ?? join(debugDir, `${id}.tar${gzip ? '.gz' : ''}`));
    if (req.output) mkdirSync(dirname(out), { recursive: true });
    else {
      privateDir(debugDir);
      sweepExpired(debugDir);
    }
    // Private from its first byte, wherever it goes: it holds the gateway's logs and config.
    privateFile(out);
    await createTar(
      { file: out, cwd: work, gzip, portable: true },
      members.map((m) => m.name),
    );
    const size = statSync(out).size;
    return {
      status: 'ready',
      bundle_id: id,
      estimated_time: Math.round((Date.now() - started) / 1000),
      size_estimate: formatBytes(size),
      contents,
      download_url: `/cloud-integration/monitor/debug/download/${id}.tar${gzip ? '.gz' : ''}`,
      expires_at: new Date(Date.now() + KEEP_DAYS * 86400_000).toISOString(),
      path: out,
      missing,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
