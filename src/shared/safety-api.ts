import {
  overrideInputSchema,
  overrideSchema,
  safetyRefSchema,
  safetyStatusSchema,
  setPinInputSchema,
  setPinSchema,
} from './safety';
import { z } from 'zod';

/** Forget a PIN kept in Rigger's data folder, without it: audited, and for this computer only. */
export const resetPinInputSchema = z.strictObject({ operator: z.string().min(1).default('local') });
export const resetPinSchema = z.object({ status: z.literal('reset'), message: z.string() });

/** Safety signals of a gateway, PIN-guarded overrides. */
export const safetyOperations = {
  'safety.status': { input: safetyRefSchema, output: safetyStatusSchema },
  'safety.override': { input: overrideInputSchema, output: overrideSchema },
  'safety.setPin': { input: setPinInputSchema, output: setPinSchema },
  'safety.resetPin': { input: resetPinInputSchema, output: resetPinSchema },
} as const;
