import { z } from 'zod';

/** A profile is a few KiB of JSON; anything past this is not one. */
export const MAX_PROFILE_BYTES = 256 * 1024;

/**
 * Add a profile from a file: by its path on this computer (the desktop app's file dialog), or by
 * its content (a browser's upload). It is checked with the profile schema and kept in Rigger's
 * data folder (`profiles/NAME.json`), where gateways find it by name.
 */
export const profileImportSchema = z.union([
  z.strictObject({
    path: z.string().min(1).max(4096),
    replace: z.boolean().optional(),
  }),
  z.strictObject({
    file_name: z.string().min(1).max(255),
    content: z
      .string()
      .min(1, 'the file is empty')
      .max(MAX_PROFILE_BYTES, `a profile is at most ${MAX_PROFILE_BYTES / 1024} KiB`),
    replace: z.boolean().optional(),
  }),
]);
export type ProfileImportInput = z.input<typeof profileImportSchema>;
