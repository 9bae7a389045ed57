import { z } from 'zod';
import { RiggerError } from '../../../shared/errors';
import { manifestSchema } from '../../../shared/images';
import { issuePath } from '../../../shared/validation';

/** Image facts Rigger measures itself; a draft may hold them, and they are replaced. */
const MEASURED = ['file', 'compression', 'size', 'sha256', 'compressed_size', 'compressed_sha256'];

/**
 * The manifest a person writes for `rigger bundle create`: everything but the image facts,
 * which Rigger measures from the image itself (only `image.format` may be given).
 */
export const manifestDraftSchema = manifestSchema.omit({ manifest: true, image: true }).extend({
  manifest: z.literal(1).optional(),
  // A full manifest (a vendor's, say) may be reused: its image facts are measured again.
  image: z
    .strictObject({
      format: z.enum(['raw', 'squashfs']).optional(),
      ...Object.fromEntries(MEASURED.map((k) => [k, z.unknown().optional()])),
    })
    .optional(),
});

/** Every field of the draft: its type and an example, in the order of a manifest. */
export const MANIFEST_DRAFT_FIELDS: Array<[field: string, type: string, example: string]> = [
  ['id', 'string: letters, digits, . _ - (at most 128)', '"site-gw-v5.1.0"'],
  ['version', 'string: vX.Y.Z or vX.Y.Z-suffix', '"v5.1.0"'],
  ['type', '"security" | "feature" | "hotfix"', '"feature"'],
  ['severity', '"critical" | "high" | "normal" | "low"', '"normal"'],
  ['channel', '"stable" | "beta" | "nightly"', '"stable"'],
  ['released', 'string: date YYYY-MM-DD', '"2025-06-01"'],
  ['description', 'string', '"Site build with the new PLC driver"'],
  ['changelog', 'array of strings', '["PLC driver 2.3"]'],
  ['compatible.models', 'array of strings, at least one', '["Univa-GW-Pro"]'],
  ['compatible.hardware_revisions', 'array of strings, at least one', '["RevA", "RevB"]'],
  ['prerequisites', 'array of "vX.Y.Z+" | "vX.Y.Z" | "<vX.Y.Z"', '["v5.0.0+"]'],
  ['image.format', '(optional) "raw" | "squashfs", else from the file name', '"raw"'],
];

const example = (field: string): string =>
  MANIFEST_DRAFT_FIELDS.find(([f]) => f === field)?.[2] ?? '';

/** The whole expected shape as text: one line per field, then a complete example. */
export function manifestDraftShape(): string {
  const width = Math.max(...MANIFEST_DRAFT_FIELDS.map(([f]) => f.length));
  const lines = MANIFEST_DRAFT_FIELDS.map(([f, t]) => `  ${f.padEnd(width)}  ${t}`);
  return [
    'A manifest for rigger bundle create has these fields (image size and hashes are filled in):',
    ...lines,
    'For example:',
    '{',
    ...MANIFEST_DRAFT_FIELDS.filter(([f]) => !f.includes('.')).map(([f, , e]) => `  "${f}": ${e},`),
    `  "compatible": { "models": ${example('compatible.models')}, "hardware_revisions": ${example('compatible.hardware_revisions')} }`,
    '}',
  ].join('\n');
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = value;
  for (const k of path)
    v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** Check a draft manifest before the image is read; every wrong field is named at once. */
export function checkManifestDraft(draft: unknown, source: string): void {
  const result = manifestDraftSchema.safeParse(draft);
  if (result.success) return;
  const issues = result.error.issues.map((i) => {
    const field = issuePath(i.path);
    const missing = valueAt(draft, i.path) === undefined;
    if (i.code === 'unrecognized_keys')
      return {
        field: i.keys.map((k) => (field === '(root)' ? k : `${field}.${k}`)).join(', '),
        problem: 'not a manifest field',
      };
    return { field, problem: missing ? 'missing' : i.message };
  });
  const list = issues.map((i) => `  ${i.field}: ${i.problem}`).join('\n');
  throw new RiggerError(
    'VALIDATION_ERROR',
    `The manifest ${source} does not have the expected shape:\n${list}\n\n${manifestDraftShape()}`,
    {
      issues,
      expected: Object.fromEntries(
        MANIFEST_DRAFT_FIELDS.map(([f, t, e]) => [f, { type: t, example: e }]),
      ),
    },
    ['Add or correct the fields listed, following the example, and run bundle create again.'],
  );
}
