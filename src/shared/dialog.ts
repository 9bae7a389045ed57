import { z } from 'zod';

/**
 * Operations the desktop shell answers itself, not the core: they need Electron (a native
 * dialog). They travel over the same validated IPC bridge; browser mode has none of them.
 */

const extension = z
  .string()
  .regex(/^(\*|[A-Za-z0-9]{1,16})$/, 'an extension without its dot, or *');

export const openFileInputSchema = z.strictObject({
  title: z.string().max(200).optional(),
  filters: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100),
        extensions: z.array(extension).min(1).max(20),
      }),
    )
    .max(10)
    .optional(),
});
export type OpenFileInput = z.infer<typeof openFileInputSchema>;

/** The chosen file's path, or null when the user cancelled. */
export const openFileOutputSchema = z.object({ path: z.string().min(1).nullable() });
export type OpenFileOutput = z.infer<typeof openFileOutputSchema>;

export const shellOperations = {
  'dialog.openFile': { input: openFileInputSchema, output: openFileOutputSchema },
} as const;
export type ShellOperationName = keyof typeof shellOperations;

/** Is `op` one of the shell's own operations? */
export function isShellOperation(op: unknown): op is ShellOperationName {
  return typeof op === 'string' && Object.prototype.hasOwnProperty.call(shellOperations, op);
}
