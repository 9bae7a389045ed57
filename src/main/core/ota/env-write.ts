import { RiggerError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profile';
import { envScript, parseEnv } from '../bootloader/env';
import { run, shq, type GatewaySession } from '../gateways/session';

/** Read the bootloader environment with the profile's fw_env.config. */
export async function readEnv(session: GatewaySession, profile: Profile) {
  return parseEnv(
    await run(session, `fw_printenv -c ${shq(profile.bootloader.fw_env_config)}`, {
      timeoutMs: 20000,
    }),
  );
}

/** Names whose value in `env` differs from `wanted`. */
export function envMismatch(env: Record<string, string>, wanted: Record<string, string>) {
  return Object.entries(wanted)
    .filter(([k, v]) => env[k] !== v)
    .map(([k, v]) => ({ name: k, expected: v, actual: env[k] ?? null }));
}

/**
 * Set several variables in ONE atomic `fw_setenv -s` write, then read back and compare: a script
 * line in the wrong format is ignored with exit 0, so only the read-back proves the write.
 */
export async function writeEnv(
  session: GatewaySession,
  profile: Profile,
  vars: Record<string, string>,
  purpose: string,
): Promise<void> {
  const cfg = shq(profile.bootloader.fw_env_config);
  // The script goes to a file in /tmp via stdin: fw_setenv -s reads a file, and no mktemp is promised.
  // The read-back runs in the same command (one round trip) but only after a successful write.
  const tmp = `/tmp/rigger-env.$$`;
  const after = parseEnv(
    await run(
      session,
      `cat > ${tmp} && fw_setenv -c ${cfg} -s ${tmp}; rc=$?; rm -f ${tmp}; [ $rc -eq 0 ] || exit $rc; fw_printenv -c ${cfg}`,
      { stdin: envScript(vars), timeoutMs: 30000 },
    ),
  );
  const bad = envMismatch(after, vars);
  if (bad.length) {
    throw new RiggerError(
      'COMMAND_FAILED',
      `The bootloader environment did not take the ${purpose} write: ${bad.map((b) => b.name).join(', ')} differ`,
      { purpose, mismatches: bad },
      [
        "Check the profile's fw_env_config and that fw_setenv is libubootenv's (name=value scripts)",
        'Read the environment with fw_printenv on the gateway',
      ],
    );
  }
}
