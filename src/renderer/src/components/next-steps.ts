import type { ErrorCode, RiggerErrorData } from '../../../shared/errors';

/** What to do next when an error arrives without its own suggested actions. */
const DEFAULT_STEPS: Partial<Record<ErrorCode, string[]>> = {
  HOST_UNREACHABLE: [
    "Check the network cable and the gateway's IP address",
    "Connect the serial console: open Console in Rigger, or run 'rigger console PORT'",
  ],
  AUTH_FAILED: ['Check the user name', 'Check the key file or password stored for this gateway'],
  HOST_KEY_CHANGED: [
    "Compare the offered key with the gateway's own key before replacing the stored one",
  ],
  HOST_KEY_UNKNOWN: ["Compare the fingerprint with the gateway's own key, then trust it"],
  COMMAND_TIMEOUT: ['Retry; if it keeps timing out, connect the serial console'],
  UNAUTHORIZED: ['Open the URL that `rigger serve` printed, with its token'],
  SECRET_UNAVAILABLE: ['Use a key file, or a password from an environment variable'],
  INTERNAL: ['Report this to support with the debug log'],
};

/** The error's own next steps, or Rigger's defaults for its code. */
export function nextSteps(error: RiggerErrorData): string[] {
  return error.suggested_actions.length
    ? error.suggested_actions
    : (DEFAULT_STEPS[error.code] ?? []);
}
