import { firmwareListQuerySchema, type Firmware } from '../../../shared/fleet-ota';
import type { NodeFirmware } from '../../../shared/nodes';
import { parseOrThrow } from '../../../shared/validation';
import { compareVersions } from './firmware-check';

/**
 * The seed's "List Firmware Versions" with the node firmware library beside the gateway images:
 * a node firmware is one version for each node type it fits (`image_id` is its library id; it
 * was imported only with a trusted signature).
 */
export function withNodeFirmware(
  own: Firmware[],
  nodes: readonly NodeFirmware[],
  query: unknown,
): { firmware: Firmware[] } {
  const q = parseOrThrow(firmwareListQuerySchema, query, 'Firmware query');
  const fromNodes = nodes.flatMap((f) =>
    f.node_types
      .filter((t) => !q.device_type || t === q.device_type)
      .map((t): Firmware => ({
        version: f.version,
        device_type: t,
        release_notes: f.description,
        checksum: `sha256:${f.sha256}`,
        size: f.size,
        mandatory: false,
        image_id: f.id,
        signed: true,
        created_at: f.imported_at,
      })),
  );
  return {
    firmware: [...own, ...fromNodes].sort(
      (a, b) => a.device_type.localeCompare(b.device_type) || compareVersions(b.version, a.version),
    ),
  };
}
