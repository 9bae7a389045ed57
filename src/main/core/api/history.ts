import type { HistoryService } from '../history/service';
import type { AreaHandlers } from './handlers';

/** Update history as an API operation. */
export function historyHandlers(history: HistoryService): AreaHandlers<'history.updates'> {
  return { 'history.updates': async (q) => history.updates(q) };
}
