import type { z } from 'zod';
import { RiggerError, type ErrorCode } from './errors';

/** Human-readable field path of a zod issue: `slots.A.device`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.length ? path.map((p) => String(p)).join('.') : '(root)';
}

/** Parse with a zod schema; on failure throw a RiggerError naming the first wrong field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  code: ErrorCode = 'VALIDATION_ERROR',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ field: issuePath(i.path), problem: i.message }));
  const first = issues[0];
  throw new RiggerError(
    code,
    first ? `${what}: field "${first.field}": ${first.problem}` : `${what} is invalid`,
    { issues },
    ['Correct the field named and try again.'],
  );
}
