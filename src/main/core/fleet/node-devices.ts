import type { NodeObserver } from '../nodes/service';
import type { DeviceRegistry } from './devices';

/**
 * Keep node devices true from what the node service sees: every listing of a gateway's nodes
 * syncs them; a push that succeeded records the node's new version (and clears an earlier
 * error), one that failed or was rejected leaves the node in `error` with the tool's reason.
 * While a push runs the registry reads the node as `updating` from the service itself.
 */
export function nodeDevices(devices: DeviceRegistry): NodeObserver {
  return {
    listed: (gateway, nodes) => void devices.syncNodes(gateway, nodes),
    job(step) {
      if (step.status === 'success') devices.markSeen(step.node_id, step.version);
      else if (step.status === 'failed' || step.status === 'rejected')
        devices.markError(step.node_id, step.additional_info);
    },
  };
}
