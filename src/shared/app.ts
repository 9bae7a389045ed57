import { z } from 'zod';

/** The app's own facts: version, where its data lives, how it runs, where passwords go. */
export const appInfoSchema = z.object({
  version: z.string(),
  data_dir: z.string(),
  mode: z.enum(['electron', 'browser', 'cli', 'test']),
  secrets: z.enum(['safe-storage', 'memory', 'none']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** An operation that takes no input. */
export const noInput = z.strictObject({});

export const appOperations = {
  'app.info': { input: noInput, output: appInfoSchema },
} as const;
