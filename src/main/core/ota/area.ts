import type { AuditLog } from '../audit';
import type { CoreEvents } from '../events';
import type { GatewayService } from '../gateways/service';
import type { ImageService } from '../images/service';
import { createHistoryService } from '../history/service';
import { createJobEngine } from '../jobs/engine';
import { createJobStore } from '../jobs/store';
import { createSafetyService } from '../safety/service';
import type { SettingsService } from '../settings';
import type { Database } from '../store/database';
import { DEFAULT_TIMINGS, type OtaDeps, type OtaTimings } from './context';
import { createOtaService } from './service';

/** The update services built together: jobs, safety, OTA, history. */
export function createUpdatesArea(d: {
  db: Database;
  events: CoreEvents;
  audit: AuditLog;
  settings: SettingsService;
  gateways: GatewayService;
  images: ImageService;
  timings?: Partial<OtaTimings>;
}) {
  const store = createJobStore(d.db);
  // Jobs a crash left running are interrupted, offered for resume (rule 6).
  const interrupted = store.sweepInterrupted();
  const engine = createJobEngine(store, d.events);
  const safety = createSafetyService({
    db: d.db,
    gateways: d.gateways,
    settings: d.settings,
    audit: d.audit,
    events: d.events,
  });
  const deps: OtaDeps = {
    gateways: d.gateways,
    images: d.images,
    safety,
    engine,
    events: d.events,
    audit: d.audit,
    settings: d.settings,
    timings: { ...DEFAULT_TIMINGS, ...d.timings },
  };
  const ota = createOtaService(deps);
  return { engine, safety, ota, history: createHistoryService(store), interrupted, deps };
}

export type UpdatesArea = ReturnType<typeof createUpdatesArea>;
