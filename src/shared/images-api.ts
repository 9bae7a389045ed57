import { z } from 'zod';
import { noInput } from './app';
import {
  imageRefSchema,
  imagesListInputSchema,
  importInputSchema,
  integritySchema,
  libraryImageSchema,
  syncInputSchema,
  syncResultSchema,
  trustedKeySchema,
  updatesCheckInputSchema,
  updatesCheckSchema,
  uploadVerifyInputSchema,
  uploadVerifySchema,
  usageSchema,
} from './images';

/** The offline image library, catalog sync, and what fits a gateway. */
export const imageOperations = {
  'images.import': { input: importInputSchema, output: libraryImageSchema },
  'images.list': { input: imagesListInputSchema, output: z.array(libraryImageSchema) },
  'images.get': { input: imageRefSchema, output: libraryImageSchema },
  'images.remove': { input: imageRefSchema, output: z.object({ removed: z.literal(true) }) },
  'images.verify': { input: imageRefSchema, output: integritySchema },
  'images.usage': { input: noInput, output: usageSchema },
  'images.sync': { input: syncInputSchema, output: syncResultSchema },
  'updates.check': { input: updatesCheckInputSchema, output: updatesCheckSchema },
  'upload.verify': { input: uploadVerifyInputSchema, output: uploadVerifySchema },
} as const;

/** Trusted signing keys and CA certificates. */
export const keyOperations = {
  'keys.list': { input: noInput, output: z.array(trustedKeySchema) },
  'keys.add': {
    input: z
      .strictObject({ path: z.string().min(1).optional(), pem: z.string().min(1).optional() })
      .refine((v) => !!v.path !== !!v.pem, 'give a file path or the PEM text'),
    output: trustedKeySchema,
  },
  'keys.remove': {
    input: z.strictObject({ fingerprint: z.string().min(1) }),
    output: z.object({ removed: z.literal(true) }),
  },
} as const;
