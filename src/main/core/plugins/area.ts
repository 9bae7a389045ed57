import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeFirmware } from '../../../shared/nodes';
import type { AuditLog } from '../audit';
import type { GatewayService } from '../gateways/service';
import type { TrustStore } from '../images/trust';
import { importNodeFirmware } from '../nodes/firmware-import';
import { createFirmwareLibrary, type FirmwareLibrary } from '../nodes/firmware-library';
import type { NodeTimings } from '../nodes/follow';
import { createNodeService, type NodeService } from '../nodes/service';
import { createPluginService, type PluginService } from './service';

export interface PluginsArea {
  plugins: PluginService;
  nodes: NodeService;
  firmware: {
    library: FirmwareLibrary;
    /** Import a signed node-firmware bundle (`"kind": "node-firmware"`). */
    import(path: string): Promise<NodeFirmware>;
  };
}

/** Plugins and nodes, built from what the core already has: one line in the composition root. */
export function createPluginsArea(d: {
  dataDir: string;
  gateways: Pick<GatewayService, 'session'>;
  /** The registered gateways' names (the registry's list). */
  gatewayNames: () => string[];
  trust: Pick<TrustStore, 'anchors'>;
  audit: AuditLog;
  nodeTimings?: Partial<NodeTimings>;
}): PluginsArea {
  const tempDir = join(d.dataDir, 'tmp', 'plugins');
  mkdirSync(tempDir, { recursive: true });
  const library = createFirmwareLibrary(join(d.dataDir, 'node-firmware'));
  const session = (g: string) => d.gateways.session(g, 'pinned-only');
  return {
    plugins: createPluginService({
      session,
      anchors: () => d.trust.anchors(),
      audit: d.audit,
      tempDir,
    }),
    nodes: createNodeService({
      gateways: d.gatewayNames,
      session,
      library,
      audit: d.audit,
      timings: d.nodeTimings,
    }),
    firmware: {
      library,
      import: (path) => importNodeFirmware(path, { library, trust: d.trust, audit: d.audit }),
    },
  };
}
