import {
  overrideInputSchema,
  overrideSchema,
  safetyRefSchema,
  safetyStatusSchema,
  setPinInputSchema,
  setPinSchema,
} from './safety';

/** Safety signals of a gateway, PIN-guarded overrides. */
export const safetyOperations = {
  'safety.status': { input: safetyRefSchema, output: safetyStatusSchema },
  'safety.override': { input: overrideInputSchema, output: overrideSchema },
  'safety.setPin': { input: setPinInputSchema, output: setPinSchema },
} as const;
