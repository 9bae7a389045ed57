import { z } from 'zod';
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
import { updatePlanInputSchema, updatePlanSchema } from './update-plan';

/**
 * Rigger's `flash`: write an image as `updates.download` does, then, with `install`, switch to
 * it, reboot and commit in the same job (its install parameters journaled before it starts).
 */
export const flashInputSchema = downloadInputSchema.extend({
  install: z
    .strictObject({
      reboot_delay: z.number().int().min(0).max(3600).default(5),
      verify_installation: z.boolean().default(true),
      create_snapshot: z.boolean().default(false),
    })
    .nullable()
    .default(null),
  /** Install although the maintenance window is closed (audited). */
  confirm_outside_window: z.boolean().default(false),
});

/** Writing an image into a gateway's inactive slot and switching to it. */
export const otaOperations = {
  'updates.download': { input: downloadInputSchema, output: downloadStartedSchema },
  'updates.progress': { input: progressInputSchema, output: progressSchema },
  'updates.install': { input: installInputSchema, output: installStartedSchema },
  'updates.flash': { input: flashInputSchema, output: downloadStartedSchema },
  /** Which path a write would take (full raw, full gzip, delta) and why; changes nothing. */
  'updates.plan': { input: updatePlanInputSchema, output: updatePlanSchema },
  'upload.deploy': { input: deployInputSchema, output: deployStartedSchema },
} as const;
