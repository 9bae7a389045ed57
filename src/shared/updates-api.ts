import { historyOperations } from './history-api';
import { jobOperations } from './jobs-api';
import { otaOperations } from './ota-api';
import { safetyOperations } from './safety-api';

/** The update operations (jobs, OTA, safety, history) as one part of the API table. */
export const updateOperations = {
  ...jobOperations,
  ...otaOperations,
  ...safetyOperations,
  ...historyOperations,
} as const;
