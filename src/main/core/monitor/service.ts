import { join } from 'node:path';
import type { DebugAnswer, LogsAnswer } from '../../../shared/monitor';
import type { GatewayRegistry } from '../gateways/registry';
import type { GatewayService } from '../gateways/service';
import type { Database } from '../store/database';
import { captureDebugBundle, type DebugRequest } from './debug-bundle';
import { readGatewayLogs } from './gateway-logs';
import { assembleLogs, riggerEntries, type LogFilter } from './logs';

interface Deps {
  db: Database;
  dataDir: string;
  gateways: GatewayService;
  registry: GatewayRegistry;
}

/** Logs and debug bundles of a gateway, over whatever session reaches it (SSH or console). */
export interface MonitorService {
  /** The gateway's logs merged with Rigger's own record of it, filtered as the seed says. */
  logs(gateway: string, filter: LogFilter): Promise<LogsAnswer>;
  /** Capture a debug bundle to this laptop (Rigger's debug folder, or `output`). */
  debug(gateway: string, req: DebugRequest): Promise<DebugAnswer>;
  /** Where a bundle made here lives, for the browser-mode download. */
  readonly debugDir: string;
}

/** Logs and debug bundles, over whatever session reaches the gateway. */
export function createMonitorService(d: Deps): MonitorService {
  return {
    /** The gateway's logs merged with Rigger's own record of it, filtered as the seed says. */
    async logs(gateway: string, filter: LogFilter): Promise<LogsAnswer> {
      const { gateway: g, profile, session } = await d.gateways.session(gateway);
      const read = await readGatewayLogs(session, profile);
      return assembleLogs(read.files, riggerEntries(d.db, g.id), read.missing, filter);
    },
    /** Capture a debug bundle to this laptop (Rigger's debug folder, or `output`). */
    async debug(gateway: string, req: DebugRequest): Promise<DebugAnswer> {
      const { gateway: g, profile, session } = await d.gateways.session(gateway);
      const history = riggerEntries(d.db, g.id).map(({ at: _at, ...e }) => e);
      return captureDebugBundle(session, profile, g.name, history, req, join(d.dataDir, 'debug'));
    },
    /** Where a bundle made here lives, for the browser-mode download. */
    debugDir: join(d.dataDir, 'debug'),
  };
}
