import {
  deployInputSchema,
  deployStartedSchema,
  downloadInputSchema,
  downloadStartedSchema,
  installInputSchema,
  installStartedSchema,
  progressInputSchema,
  progressSchema,
} from './ota';

/** Writing an image into a gateway's inactive slot and switching to it. */
export const otaOperations = {
  'updates.download': { input: downloadInputSchema, output: downloadStartedSchema },
  'updates.progress': { input: progressInputSchema, output: progressSchema },
  'updates.install': { input: installInputSchema, output: installStartedSchema },
  'upload.deploy': { input: deployInputSchema, output: deployStartedSchema },
} as const;
