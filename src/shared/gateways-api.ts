import { z } from 'zod';
import { noInput } from './app';
import {
  gatewayAddSchema,
  gatewayEditSchema,
  gatewayRefSchema,
  gatewaySchema,
  pinHostKeySchema,
} from './gateways';
import { connectionTestInputSchema, connectionTestSchema } from './gateway-test';
import { profileSummarySchema } from './profile';
import { profileImportSchema } from './profile-import';
import { gatewayStatusSchema } from './status';

/** Operations on the gateway registry, profiles and a gateway's live status. */
export const gatewayOperations = {
  'profiles.list': { input: noInput, output: z.array(profileSummarySchema) },
  /** A profile from a file (its path here, or its uploaded content), checked and kept by name. */
  'profiles.import': { input: profileImportSchema, output: profileSummarySchema },
  'gateways.list': { input: noInput, output: z.array(gatewaySchema) },
  'gateways.get': { input: gatewayRefSchema, output: gatewaySchema },
  'gateways.add': { input: gatewayAddSchema, output: gatewaySchema },
  'gateways.edit': { input: gatewayEditSchema, output: gatewaySchema },
  'gateways.remove': { input: gatewayRefSchema, output: z.object({ removed: z.literal(true) }) },
  'gateways.pinHostKey': { input: pinHostKeySchema, output: gatewaySchema },
  'gateways.status': { input: gatewayRefSchema, output: gatewayStatusSchema },
  /** Connect with a gateway's fields and say what was found; saves nothing. */
  'gateways.testConnection': { input: connectionTestInputSchema, output: connectionTestSchema },
} as const;
