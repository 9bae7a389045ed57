import type { UpdatesArea } from '../ota/area';
import type { AreaHandlers } from './handlers';

/** Safety status, overrides and the PIN as API operations. */
export function safetyHandlers(
  a: UpdatesArea,
): AreaHandlers<'safety.status' | 'safety.override' | 'safety.setPin'> {
  return {
    'safety.status': async ({ gateway }) => a.safety.status(gateway),
    'safety.override': async (input) => a.safety.override(input),
    'safety.setPin': async ({ pin, current_pin }) => a.safety.setPin(pin, current_pin),
  };
}
