import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../src/main/core/core';
import type { GatewaySim } from '../../gateway-sim';
import { addSimGateway } from '../../helpers/sim-gateway';
import type { SigningKey } from '../../unit/core/plugins/plugin-zip';

/**
 * A real core over the test gateway (registered as `gw`, its host key pinned) that trusts `key`
 * for plugin ZIPs and node firmware; node pushes are followed with short bounds.
 */
export async function pluginCore(
  sim: GatewaySim,
  key: SigningKey,
  nodeTimings = { pollMs: 100, confirmTimeoutMs: 5000 },
): Promise<{ core: Core; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rigger-plcore-'));
  const core = createCore({ dataDir: join(dir, 'data'), mode: 'test', nodeTimings });
  const pub = key.anchors.ed25519[0]!.key.export({ type: 'spki', format: 'pem' }).toString();
  await core.call('keys.add', { pem: pub });
  await addSimGateway(core, sim);
  return { core, dir };
}
