import type { UpdatesArea } from '../ota/area';
import type { AreaHandlers } from './handlers';

/** Update history as an API operation. */
export function historyHandlers(a: UpdatesArea): AreaHandlers<'history.updates'> {
  return { 'history.updates': async (q) => a.history.updates(q) };
}
