import { RiggerError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profile';
import { run, shq, type ExecResult, type GatewaySession } from '../gateways/session';
import { freeBytes, pointLink, prove, prune, restart, stage, versionAt } from './remote';
import type { CheckedPlugin } from './zip-check';

/** What a plugin operation reports as it goes: progress in %, a message, gateway output. */
export interface Reporter {
  step(progress: number, message: string): void;
  out(chunk: Buffer, stream: 'stdout' | 'stderr'): void;
}

export interface PluginOutcome {
  name: string;
  active_version: string | null;
  previous_version: string | null;
  message: string;
}

/** The profile's plugins section, or why this gateway has none. */
export function pluginsOf(profile: Profile): NonNullable<Profile['plugins']> {
  if (!profile.plugins)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The profile "${profile.name}" names no plugin folder (GATEWAY-CONTRACT.md section 6)`,
      { profile: profile.name },
      ['Add a "plugins" section to the gateway profile'],
    );
  return profile.plugins;
}

const tail = (r: ExecResult) =>
  `${r.stdout.toString('utf8')}${r.stderr.toString('utf8')}`
    .trim()
    .split('\n')
    .slice(-3)
    .join(' / ');

/** Does the checked plugin fit this gateway, and is there room for it? Writes nothing. */
export async function preflight(
  session: GatewaySession,
  profile: Profile,
  checked: CheckedPlugin,
): Promise<{ base: string; old: string | null; oldPrevious: string | null }> {
  const p = pluginsOf(profile);
  const m = checked.manifest;
  if (!m.models.includes(profile.model))
    throw new RiggerError(
      'VALIDATION_ERROR',
      `The plugin ${m.name} ${m.version} is made for ${m.models.join(', ')}, not for ${profile.model}`,
      { models: m.models, model: profile.model },
      ['Get the plugin build for this gateway model'],
    );
  const free = await freeBytes(session, p.dir);
  const needed = checked.bytes + p.min_free_bytes;
  if (free < needed)
    throw new RiggerError(
      'OTA_003',
      `The plugin folder has ${free} bytes free; ${m.name} ${m.version} needs ${checked.bytes} plus ${p.min_free_bytes} to spare`,
      { free, needed, dir: p.dir },
      ['Remove plugins that are no longer used', 'Free space on the gateway'],
    );
  const base = `${p.dir}/${m.name}`;
  const old = await versionAt(session, `${base}/current`);
  if (old === m.version)
    throw new RiggerError(
      'ALREADY_EXISTS',
      `${m.name} ${m.version} is already the active version`,
      { name: m.name, version: m.version },
    );
  return { base, old, oldPrevious: await versionAt(session, `${base}/previous`) };
}

/**
 * Install a checked plugin: stage, prove with the gateway's sha256sum, swap `current`
 * atomically, restart. A restart that fails puts the old version back (and restarts it).
 */
export async function installPlugin(
  session: GatewaySession,
  profile: Profile,
  checked: CheckedPlugin,
  r: Reporter,
): Promise<PluginOutcome> {
  const p = pluginsOf(profile);
  const { name, version } = checked.manifest;
  r.step(20, `Checking ${profile.model} fit and free space on the gateway`);
  const { base, old, oldPrevious } = await preflight(session, profile, checked);
  r.step(
    30,
    `Staging ${name} ${version} (${checked.members.length} files) in ${base}/${version}.new`,
  );
  const target = `${base}/${version}.new`;
  try {
    await stage(session, base, checked, r.out);
    r.step(60, "Proving every file with the gateway's sha256sum");
    await prove(session, target, checked, r.out);
  } catch (err) {
    // A half-written or unproven stage never stays behind.
    await session.exec(`rm -rf ${shq(target)}`, { timeoutMs: 60_000 }).catch(() => undefined);
    throw err;
  }
  const dest = `${base}/${version}`;
  await run(session, `rm -rf ${shq(dest)} && mv ${shq(target)} ${shq(dest)}`, {
    timeoutMs: 60_000,
  });
  r.step(75, `Activating ${version}${old ? ` (previous: ${old})` : ''}`);
  await pointLink(session, base, 'current', version);
  if (old) await pointLink(session, base, 'previous', old);
  r.step(85, `Restarting ${name}`);
  const res = await restart(session, p.restart_command, name, r.out);
  if (res.code === 0) {
    await prune(session, base, old ? [version, old] : [version]);
    return {
      name,
      active_version: version,
      previous_version: old,
      message: `${name} ${version} installed and running${old ? `; ${old} kept for rollback` : ''}`,
    };
  }
  // Roll back: the old version active again, the failed one gone.
  const why = `the restart of ${name} ${version} failed (exit ${res.code ?? res.signal}): ${tail(res)}`;
  r.step(90, `Rolling back: ${why}`);
  if (old) {
    await pointLink(session, base, 'current', old);
    await pointLink(session, base, 'previous', oldPrevious);
  } else {
    await pointLink(session, base, 'current', null);
  }
  await run(session, `rm -rf ${shq(dest)}`, { timeoutMs: 60_000 });
  const back = old ? await restart(session, p.restart_command, name, r.out) : null;
  const after = !old
    ? 'no earlier version to go back to: the plugin is not active'
    : back?.code === 0
      ? `rolled back to ${old}, which is running`
      : `rolled back to ${old}, but it did not restart either (exit ${back?.code})`;
  throw new RiggerError(
    'COMMAND_FAILED',
    `Plugin ${name} ${version} was rolled back automatically: ${why}; ${after}`,
    { name, version, rolled_back_to: old, restart_exit: res.code, output: tail(res) },
    ['Read the terminal output above', 'Ask the plugin vendor about the failed start'],
  );
}

/** One-click rollback: the previous version becomes active again (and the active one previous). */
export async function rollbackPlugin(
  session: GatewaySession,
  profile: Profile,
  name: string,
  r: Reporter,
): Promise<PluginOutcome> {
  const p = pluginsOf(profile);
  const base = `${p.dir}/${name}`;
  r.step(10, `Reading the versions of ${name}`);
  const cur = await versionAt(session, `${base}/current`);
  const prev = await versionAt(session, `${base}/previous`);
  if (!prev)
    throw new RiggerError('OTA_012', `Plugin ${name} has no previous version to roll back to`, {
      name,
      active_version: cur,
    });
  r.step(40, `Activating ${prev} (was ${cur ?? 'none'})`);
  await pointLink(session, base, 'current', prev);
  await pointLink(session, base, 'previous', cur);
  r.step(70, `Restarting ${name}`);
  const res = await restart(session, p.restart_command, name, r.out);
  if (res.code === 0)
    return {
      name,
      active_version: prev,
      previous_version: cur,
      message: `${name} rolled back to ${prev}`,
    };
  const why = `the restart of ${name} ${prev} failed (exit ${res.code ?? res.signal}): ${tail(res)}`;
  r.step(85, `Undoing the rollback: ${why}`);
  await pointLink(session, base, 'current', cur);
  await pointLink(session, base, 'previous', prev);
  if (cur) await restart(session, p.restart_command, name, r.out);
  throw new RiggerError(
    'COMMAND_FAILED',
    `Rollback of ${name} undone: ${why}; ${cur ?? 'nothing'} is active again`,
    { name, active_version: cur, restart_exit: res.code },
  );
}
