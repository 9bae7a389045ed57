import { RiggerError } from '../../../shared/errors';
import { OTA_UPLOAD_ERRORS } from '../../../shared/plugins';
import type { PluginService } from '../plugins/service';
import type { AreaHandlers } from './handlers';

/** Plugin ZIPs on gateways as API operations (the seed's HTTP paths are in server/). */
export function pluginHandlers(
  plugins: PluginService,
): AreaHandlers<
  | 'plugins.list'
  | 'plugins.install'
  | 'plugins.configure'
  | 'plugins.rollback'
  | 'plugins.progress'
  | 'plugins.terminal'
> {
  return {
    'plugins.list': async ({ gateway }) => plugins.list(gateway),
    'plugins.install': async ({ gateway, zip_path, unsigned }) =>
      plugins.install(gateway, zip_path, { unsigned }),
    'plugins.configure': async ({ gateway, zip_path, unsigned }) =>
      plugins.configure(gateway, zip_path, { unsigned }),
    'plugins.rollback': async ({ gateway, name }) => plugins.rollback(gateway, name),
    'plugins.progress': async ({ update_id }) => plugins.progress(update_id),
    'plugins.terminal': async ({ update_id, from }) => {
      // The state first: once it has ended, the lines read after it are all there are.
      const { status } = plugins.progress(update_id);
      const terminal = plugins.terminal(update_id);
      if (!terminal) throw new RiggerError('NOT_FOUND', OTA_UPLOAD_ERRORS.notFound, { update_id });
      const all = terminal.lines();
      return { lines: all.slice(from), next: Math.max(from, all.length), status };
    },
  };
}
