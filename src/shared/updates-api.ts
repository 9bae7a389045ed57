import { historyOperations } from './history-api';
import { jobOperations } from './jobs-api';
import { otaOperations } from './ota-api';
import { safetyOperations } from './safety-api';

/** Updates and what follows them: jobs, OTA, safety and history, as one part of the API table. */
export const updateOperations = {
  ...jobOperations,
  ...otaOperations,
  ...safetyOperations,
  ...historyOperations,
} as const;
