import type { MonitorService } from '../monitor/service';
import type { AreaHandlers } from './handlers';

/** Logs and debug bundles as API operations (seed "Monitoring & Logging"). */
export function monitorHandlers(
  monitor: MonitorService,
): AreaHandlers<'monitor.logs' | 'monitor.debug'> {
  return {
    'monitor.logs': async ({ gateway, ...filter }) => monitor.logs(gateway, filter),
    'monitor.debug': async ({ gateway, ...req }) => monitor.debug(gateway, req),
  };
}
