import { toErrorData, type RiggerErrorData } from '../../shared/errors';

/** Exit codes: 1 a user-facing error, 2 a usage error, 3 an internal one. */
export const EXIT = { error: 1, usage: 2, internal: 3 } as const;

/** Print a value: JSON alone on stdout with --json, or the human text. */
export function print(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}

/** The readable form of an error: what happened, its code, and what to do. */
export function formatError(e: RiggerErrorData): string {
  const lines = [`Error [${e.code}]: ${e.message}`];
  if (e.suggested_actions.length)
    lines.push('What to do:', ...e.suggested_actions.map((a) => `  - ${a}`));
  return lines.join('\n');
}

/** Report an error on stderr (JSON with --json) and return the exit code for it. */
export function reportError(err: unknown, json: boolean | undefined): number {
  const e = toErrorData(err);
  if (e.code === 'INTERNAL' && err instanceof Error && process.env.RIGGER_DEBUG)
    console.error(err.stack);
  const { error, code, message, details, suggested_actions } = e;
  process.stderr.write(
    json
      ? JSON.stringify({ error, code, message, details, suggested_actions }) + '\n'
      : formatError(e) + '\n',
  );
  return e.code === 'INTERNAL' ? EXIT.internal : EXIT.error;
}
