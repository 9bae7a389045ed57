import type { Core } from '../../src/main/core/core';
import type { GatewaySim } from '../gateway-sim';

/** Register the test gateway with a core, as `name`, and trust its host key (as a technician would). */
export async function addSimGateway(
  core: Core,
  sim: GatewaySim,
  opts: { name?: string; profile?: string } = {},
): Promise<string> {
  const name = opts.name ?? 'gw';
  await core.call('gateways.add', {
    name,
    profile: opts.profile ?? sim.profilePath,
    connection: {
      type: 'ssh',
      host: sim.host,
      port: sim.port,
      user: sim.user,
      auth: { method: 'key', key_file: sim.keyFile },
    },
  });
  await core.call('gateways.pinHostKey', { name, fingerprint: sim.hostKeyFingerprint });
  return name;
}
