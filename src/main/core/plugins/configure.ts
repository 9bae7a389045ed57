import type { Profile } from '../../../shared/profile';
import { run, shq, type GatewaySession } from '../gateways/session';
import { pluginsOf, type PluginOutcome, type Reporter } from './install';
import { prove, stage } from './remote';
import type { CheckedPlugin } from './zip-check';

/**
 * Put a configure ZIP's files in `config_dir` (seed `POST /ota-configure`): staged beside it,
 * proven, then swapped in by two renames, the old set kept as `<config_dir>.prev`.
 */
export async function configureGateway(
  session: GatewaySession,
  profile: Profile,
  checked: CheckedPlugin,
  r: Reporter,
): Promise<PluginOutcome> {
  const dir = pluginsOf(profile).config_dir.replace(/\/+$/, '');
  const { name, version } = checked.manifest;
  r.step(30, `Staging the OTA configuration ${name} ${version} beside ${dir}`);
  // stage() writes into `<base>/<version>.new`: with base = dir's parent, that is made unique.
  const staged = await stage(session, `${dir}.stage`, checked, r.out);
  try {
    r.step(60, "Proving every file with the gateway's sha256sum");
    await prove(session, staged, checked, r.out);
    r.step(80, `Swapping ${dir} (the old set stays in ${dir}.prev)`);
    const d = shq(dir);
    await run(
      session,
      `rm -rf ${shq(`${dir}.prev`)} && { [ ! -e ${d} ] || mv ${d} ${shq(`${dir}.prev`)}; } && mv ${shq(staged)} ${d}`,
      { timeoutMs: 60_000 },
    );
  } finally {
    await session.exec(`rm -rf ${shq(`${dir}.stage`)}`, { timeoutMs: 60_000 }).catch(() => null);
  }
  return {
    name,
    active_version: version,
    previous_version: null,
    message: `OTA configuration ${name} ${version} in place; the previous set is in ${dir}.prev`,
  };
}
