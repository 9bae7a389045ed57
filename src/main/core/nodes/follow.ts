import type { NodeFirmware, OtaJobStatus, ToolNode } from '../../../shared/nodes';
import type { Profile } from '../../../shared/profile';
import type { GatewaySession } from '../gateways/session';
import { nodeStatus, pushFirmware } from './tool';

/** How long Rigger follows a node after the push; tests shorten them. */
export interface NodeTimings {
  pollMs: number;
  /** A node that has not confirmed (or rolled back) by then has failed. */
  confirmTimeoutMs: number;
}
export const DEFAULT_NODE_TIMINGS: NodeTimings = { pollMs: 3000, confirmTimeoutMs: 10 * 60_000 };

export type Update = (status: OtaJobStatus, info: string) => void;

const OFFLINE = /offline|no answer|lost|unreachable|timed? ?out|not respond/i;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Push one firmware to one node and follow it to the end: `success` only once the node runs
 * the new version and says so, `failed` when it went offline, rolled back or never confirmed,
 * `rejected` when it refused the image. Never success from the push alone.
 */
export async function updateNode(
  session: GatewaySession,
  profile: Profile,
  node: ToolNode,
  fw: NodeFirmware,
  fwPath: string,
  update: Update,
  t: NodeTimings,
): Promise<OtaJobStatus> {
  const end = (s: OtaJobStatus, info: string) => (update(s, info), s);
  update('in_progress', `Transferring firmware ${fw.version} to the node... 0%`);
  const pushed = await pushFirmware(session, profile, node.node_id, fwPath, (pct) =>
    update('in_progress', `Transferring firmware ${fw.version} to the node... ${pct}%`),
  );
  if (pushed.code !== 0) {
    const why = pushed.message || `the node tool exited ${pushed.code}`;
    if (OFFLINE.test(why)) return end('failed', `Node went offline during the transfer: ${why}`);
    return end('rejected', `Node rejected the firmware: ${why}`);
  }
  update(
    'in_progress',
    `Firmware ${fw.version} sent; waiting for the node to boot it and confirm it`,
  );
  const deadline = Date.now() + t.confirmTimeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const { status, error } = await nodeStatus(session, profile, node.node_id);
    if (status) {
      const running = status.fw_version ?? 'unknown';
      const msg = status.message ? ` (${status.message})` : '';
      last = `state ${status.state}, running ${running}${msg}`;
      if (status.state === 'success') {
        if (status.fw_version === fw.version)
          return end('success', `Firmware updated successfully to version ${fw.version}`);
        return end(
          'failed',
          `The node reports success but runs ${running}, not ${fw.version}${msg}`,
        );
      }
      if (status.state === 'failed')
        return end(
          'failed',
          `The node did not confirm ${fw.version}: its bootloader rolled back, it runs ${running}${msg}`,
        );
      if (status.state === 'rejected') return end('rejected', `Node rejected the firmware${msg}`);
      update('in_progress', `Node ${status.state}: ${last}`);
    } else {
      last = `no answer: ${error}`;
      update('in_progress', `Node not answering (rebooting?): ${error}`);
    }
    if (Date.now() >= deadline)
      return end(
        'failed',
        `The node never confirmed ${fw.version} within ${Math.round(t.confirmTimeoutMs / 1000)} s (last: ${last})`,
      );
    await sleep(t.pollMs);
  }
}
