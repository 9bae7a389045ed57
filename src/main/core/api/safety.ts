import { RiggerError } from '../../../shared/errors';
import type { ConstraintName } from '../../../shared/safety';
import type { SafetyService } from '../safety/service';
import type { AreaHandlers } from './handlers';

/** Safety status, overrides and the PIN as API operations. */
export function safetyHandlers(
  safety: SafetyService,
): AreaHandlers<'safety.status' | 'safety.override' | 'safety.setPin' | 'safety.resetPin'> {
  /** The seed's override body may leave the constraints out: then those blocking now. */
  const blockingNow = async (gateway: string): Promise<ConstraintName[]> => {
    const s = await safety.status(gateway);
    const names = (Object.keys(s.constraints) as ConstraintName[]).filter(
      (k) => s.constraints[k].blocking,
    );
    if (!names.length)
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Nothing blocks updates on "${gateway}" now: there is nothing to override`,
        { gateway },
        ['Name the constraints to override ("constraints": [...]) if you expect them to block'],
      );
    return names;
  };
  return {
    'safety.status': async ({ gateway }) => safety.status(gateway),
    'safety.override': async (input) =>
      safety.override({
        ...input,
        constraints: input.constraints ?? (input.enable ? await blockingNow(input.gateway) : []),
      }),
    'safety.setPin': async ({ pin, current_pin }) => safety.setPin(pin, current_pin),
    'safety.resetPin': async ({ operator }) => safety.resetPin(operator),
  };
}
