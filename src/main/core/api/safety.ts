import type { SafetyService } from '../safety/service';
import type { AreaHandlers } from './handlers';

/** Safety status, overrides and the PIN as API operations. */
export function safetyHandlers(
  safety: SafetyService,
): AreaHandlers<'safety.status' | 'safety.override' | 'safety.setPin'> {
  return {
    'safety.status': async ({ gateway }) => safety.status(gateway),
    'safety.override': async (input) => safety.override(input),
    'safety.setPin': async ({ pin, current_pin }) => safety.setPin(pin, current_pin),
  };
}
