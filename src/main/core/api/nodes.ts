import type { NodeService } from '../nodes/service';
import type { PluginsArea } from '../plugins/area';
import type { AreaHandlers } from './handlers';

/** The nodes behind gateways and the node firmware library as API operations. */
export function nodeHandlers(
  nodes: NodeService,
  firmware: PluginsArea['firmware'],
): AreaHandlers<
  | 'nodes.list'
  | 'nodes.check'
  | 'nodes.push'
  | 'nodes.status'
  | 'nodes.config'
  | 'nodes.live'
  | 'nodes.pushAll'
  | 'nodes.firmware'
  | 'nodes.importFirmware'
> {
  return {
    'nodes.list': async ({ gateway }) => nodes.list(gateway),
    'nodes.check': async ({ node_id }) => nodes.check(node_id),
    'nodes.push': async (req) => nodes.push(req),
    'nodes.status': async (req) => nodes.status(req),
    'nodes.config': async ({ node_id }) => nodes.config(node_id),
    'nodes.live': async ({ node_id }) => nodes.live(node_id),
    'nodes.pushAll': async ({ gateway, type, continue_on_failure }) =>
      nodes.pushAll(gateway, type, { continueOnFailure: continue_on_failure }),
    'nodes.firmware': async () => firmware.library.list(),
    'nodes.importFirmware': async ({ path }) => firmware.import(path),
  };
}
