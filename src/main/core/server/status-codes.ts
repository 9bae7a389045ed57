import type { ErrorCode } from '../../../shared/errors';

/** The HTTP status that carries each error code. */
export function httpStatusOf(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_ERROR':
    case 'PROFILE_INVALID':
      return 400;
    case 'UNAUTHORIZED':
      return 401;
    case 'NOT_FOUND':
    case 'OTA_013':
    case 'BACKUP_NOT_FOUND':
      return 404;
    case 'ALREADY_EXISTS':
    case 'HOST_KEY_UNKNOWN':
    case 'HOST_KEY_CHANGED':
    case 'OTA_001':
    case 'OTA_014':
      return 409;
    case 'HOST_UNREACHABLE':
    case 'AUTH_FAILED':
    case 'COMMAND_FAILED':
      return 502;
    case 'COMMAND_TIMEOUT':
      return 504;
    case 'INTERNAL':
    case 'DATA_DIR_UNWRITABLE':
      return 500;
    default:
      return 400;
  }
}
