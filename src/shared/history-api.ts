import { historyInputSchema, historySchema } from './history';

/** Past updates with statistics. */
export const historyOperations = {
  'history.updates': { input: historyInputSchema, output: historySchema },
} as const;
