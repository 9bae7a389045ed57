import {
  isOperationName,
  operations,
  type ApiHandlers,
  type OperationName,
  type OperationOutput,
} from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import { parseOrThrow } from '../../../shared/validation';
import { checkUntrustedInput } from '../untrusted-input';

/** Run an operation by name: the input parsed with its shared schema, then its handler. */
export type Call = <K extends OperationName>(op: K, input: unknown) => Promise<OperationOutput<K>>;

/**
 * The one way into the handlers. Every input is validated with its operation's schema; with
 * `checkOutputs` every answer is checked against its output schema too (development and tests),
 * so a handler that drifts from the contract fails loudly instead of reaching a caller.
 */
export function validatedCall(handlers: ApiHandlers, opts: { checkOutputs: boolean }): Call {
  return async <K extends OperationName>(op: K, input: unknown) => {
    const parsed = parseOrThrow(operations[op].input, input ?? {}, `Input of ${op}`);
    const handler = handlers[op] as (i: unknown) => Promise<OperationOutput<K>>;
    const output = await handler(parsed);
    if (opts.checkOutputs) {
      const checked = operations[op].output.safeParse(output);
      if (!checked.success) {
        throw new RiggerError('INTERNAL', `The answer of ${op} does not match its contract`, {
          operation: op,
          issues: checked.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
        });
      }
    }
    // The handler's own value goes out (not the parsed copy): checking changes nothing.
    return output;
  };
}

/** `call` for a name that arrived over a boundary (IPC, HTTP) and is not yet trusted. */
export function untrustedCall(call: Call) {
  return async (op: unknown, input: unknown, picked?: ReadonlySet<string>): Promise<unknown> => {
    if (!isOperationName(op)) {
      throw new RiggerError('NOT_FOUND', `Unknown operation ${JSON.stringify(op)}`, {
        operation: String(op),
      });
    }
    checkUntrustedInput(op, input, picked);
    return call(op, input);
  };
}
