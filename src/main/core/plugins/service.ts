import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { RiggerError, toErrorData } from '../../../shared/errors';
import type {
  InstalledPlugin,
  OtaProgress,
  OtaStartResponse,
  TerminalLine,
} from '../../../shared/plugins';
import type { Profile } from '../../../shared/profile';
import type { AuditLog } from '../audit';
import type { GatewaySession } from '../gateways/session';
import type { TrustAnchors } from '../images/signature';
import { configureGateway } from './configure';
import {
  installPlugin,
  pluginsOf,
  rollbackPlugin,
  type PluginOutcome,
  type Reporter,
} from './install';
import { listPlugins } from './remote';
import type { Terminal } from './terminal';
import { UpdateTracker } from './tracker';
import { checkPluginZip } from './zip-check';

export interface PluginDeps {
  /** A live session to the gateway and its profile (GatewayService.session fits). */
  session(gateway: string): Promise<{ profile: Profile; session: GatewaySession }>;
  anchors(): TrustAnchors;
  audit: AuditLog;
  /** Where checked ZIPs are unpacked on the laptop while they travel. */
  tempDir: string;
}

export interface PluginService {
  /** Every terminal line of every operation, as it comes (for the `/ota-update` namespace). */
  readonly lines: EventEmitter<{ line: [TerminalLine] }>;
  /** Seed `POST /ota-update`: check the ZIP, then install it on the gateway, in the background. */
  install(gateway: string, zipPath: string, opts?: { unsigned?: boolean }): OtaStartResponse;
  /** Seed `POST /ota-configure`: the gateway's OTA configuration files into `config_dir`. */
  configure(gateway: string, zipPath: string, opts?: { unsigned?: boolean }): OtaStartResponse;
  rollback(gateway: string, name: string): OtaStartResponse;
  progress(updateId: string): OtaProgress;
  terminal(updateId: string): Terminal | null;
  /** The operation's end state (`complete` or `error`). */
  wait(updateId: string): Promise<OtaProgress>;
  list(gateway: string): Promise<InstalledPlugin[]>;
}

type Op = (s: GatewaySession, p: Profile, r: Reporter) => Promise<PluginOutcome>;

/** Plugin updates on gateways: one operation per gateway at a time, each with its terminal. */
export function createPluginService(deps: PluginDeps): PluginService {
  const lines = new EventEmitter<{ line: [TerminalLine] }>();
  const tracker = new UpdateTracker((t) => t.on('line', (l) => lines.emit('line', l)));
  const running = new Map<string, Promise<OtaProgress>>();
  const busy = new Set<string>();

  const start = (gateway: string, what: string, action: string, op: Op): OtaStartResponse => {
    if (busy.has(gateway))
      throw new RiggerError(
        'OTA_001',
        `A plugin operation is already running on ${gateway}`,
        { gateway },
        ['Wait for it to finish'],
      );
    busy.add(gateway);
    const { response, terminal } = tracker.start(`${what} queued for ${gateway}`);
    const id = response.update_id;
    const r: Reporter = {
      step: (progress, message) => tracker.step(id, progress, message),
      out: (chunk, stream) => terminal.write(stream, chunk),
    };
    const done = (async () => {
      try {
        const { profile, session } = await deps.session(gateway);
        const outcome = await op(session, profile, r);
        deps.audit.record({ action, outcome: 'ok', details: { gateway, ...outcome } });
        tracker.complete(id);
      } catch (err) {
        const e = toErrorData(err);
        deps.audit.record({
          action,
          outcome: 'failed',
          details: { gateway, code: e.code, message: e.message },
        });
        tracker.fail(id, e.message);
      } finally {
        busy.delete(gateway);
      }
      return tracker.progress(id);
    })();
    running.set(id, done);
    return response;
  };

  const fromZip =
    (zipPath: string, unsigned: boolean, gateway: string, apply: typeof installPlugin): Op =>
    async (session, profile, r) => {
      pluginsOf(profile);
      r.step(5, `Checking ${zipPath.split(/[\\/]/).pop()} on this computer`);
      const stageDir = join(mkdtempSync(join(deps.tempDir, 'plugin-')), 'files');
      try {
        const checked = await checkPluginZip(zipPath, {
          anchors: deps.anchors(),
          unsigned,
          stageDir,
        });
        if (checked.signature === 'unsigned')
          deps.audit.record({
            action: 'plugin.install_unsigned',
            outcome: 'ok',
            details: { gateway, name: checked.manifest.name, version: checked.manifest.version },
          });
        r.step(
          15,
          `${checked.manifest.name} ${checked.manifest.version}: ${checked.signature === 'verified' ? `signed by ${checked.signer_name}` : 'UNSIGNED (your explicit choice)'}, ${checked.members.length} files proven`,
        );
        return await apply(session, profile, checked, r);
      } finally {
        rmSync(join(stageDir, '..'), { recursive: true, force: true });
      }
    };

  return {
    lines,
    install: (gateway, zipPath, opts = {}) =>
      start(
        gateway,
        'Plugin update',
        'plugin.install',
        fromZip(zipPath, !!opts.unsigned, gateway, installPlugin),
      ),
    configure: (gateway, zipPath, opts = {}) =>
      start(
        gateway,
        'OTA configuration',
        'plugin.configure',
        fromZip(zipPath, !!opts.unsigned, gateway, configureGateway),
      ),
    rollback: (gateway, name) =>
      start(gateway, `Rollback of ${name}`, 'plugin.rollback', (s, p, r) =>
        rollbackPlugin(s, p, name, r),
      ),
    progress: (id) => tracker.progress(id),
    terminal: (id) => tracker.terminal(id),
    wait: (id) => running.get(id) ?? Promise.resolve(tracker.progress(id)),
    async list(gateway) {
      const { profile, session } = await deps.session(gateway);
      return listPlugins(session, pluginsOf(profile).dir, profile.model);
    },
  };
}
