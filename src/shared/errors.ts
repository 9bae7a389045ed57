/**
 * Errors cross every boundary (IPC, HTTP, CLI) as plain data in the seed's shape.
 * Codes come from seeds/gateway-ota-recovery-api.rst ("Common Error Codes") plus the
 * few Rigger needs of its own, which are named for what happened.
 */

export const ERROR_CODES = {
  OTA_001: 'Update already in progress',
  OTA_002: 'Safety constraint violation',
  OTA_003: 'Insufficient disk space',
  OTA_004: 'Network connectivity issue',
  OTA_005: 'Invalid update file',
  OTA_006: 'Signature verification failed',
  OTA_007: 'Checksum mismatch',
  OTA_008: 'Invalid target partition',
  OTA_009: 'Update server unreachable',
  OTA_010: 'Invalid PIN for override',
  OTA_011: 'Factory reset not allowed',
  OTA_012: 'Rollback not available',
  OTA_013: 'Job not found or completed',
  OTA_014: 'System busy with other operation',
  OTA_015: 'Maintenance window active',
  VALIDATION_ERROR: 'Invalid input',
  NOT_FOUND: 'Not found',
  ALREADY_EXISTS: 'Already exists',
  PROFILE_INVALID: 'Gateway profile is invalid',
  HOST_UNREACHABLE: 'Gateway unreachable',
  AUTH_FAILED: 'Login refused by the gateway',
  HOST_KEY_UNKNOWN: 'Gateway host key not yet trusted',
  HOST_KEY_CHANGED: 'Gateway host key changed',
  COMMAND_FAILED: 'Command failed on the gateway',
  COMMAND_TIMEOUT: 'Command timed out on the gateway',
  SECRET_UNAVAILABLE: 'Password cannot be stored or read here',
  DATA_DIR_UNWRITABLE: 'Data directory not writable',
  UNAUTHORIZED: 'Missing or wrong access token',
  INTERNAL: 'Internal error',
  BACKUP_FAILED: 'Backup operation failed',
  RESTORE_FAILED: 'Restore operation failed',
  STORAGE_FULL: 'Storage quota exceeded',
  BACKUP_NOT_FOUND: 'Backup file not found',
  ENCRYPTION_ERROR: 'Encryption/decryption failed',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The serialisable error shape of the seed's "Error Response Format". */
export interface RiggerErrorData {
  error: true;
  code: ErrorCode;
  message: string;
  details: Record<string, unknown>;
  suggested_actions: string[];
  /** Set by the server on every error it answers with, and in its X-Request-Id header. */
  request_id?: string;
  timestamp?: string;
}

/** An error that knows its seed code; thrown in the core, sent as data everywhere else. */
export class RiggerError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;
  readonly suggestedActions: string[];

  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    suggestedActions: string[] = [],
  ) {
    super(message);
    this.name = 'RiggerError';
    this.code = code;
    this.details = details;
    this.suggestedActions = suggestedActions;
  }

  /** The plain-data form that crosses IPC, HTTP and the CLI's stderr. */
  toData(): RiggerErrorData {
    return {
      error: true,
      code: this.code,
      message: this.message,
      details: this.details,
      suggested_actions: this.suggestedActions,
      timestamp: new Date().toISOString(),
    };
  }
}

/** Is this value an error in the seed's data shape? */
export function isRiggerErrorData(value: unknown): value is RiggerErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { error?: unknown }).error === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** Any thrown value as seed error data; unknown errors become INTERNAL without leaking stacks. */
export function toErrorData(err: unknown): RiggerErrorData {
  if (err instanceof RiggerError) return err.toData();
  if (isRiggerErrorData(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return {
    error: true,
    code: 'INTERNAL',
    message,
    details: {},
    suggested_actions: ['Report this to support with the debug log.'],
    timestamp: new Date().toISOString(),
  };
}

/** Turn seed error data received over a boundary back into a throwable error. */
export function fromErrorData(data: RiggerErrorData): RiggerError {
  return new RiggerError(data.code, data.message, data.details, data.suggested_actions);
}
