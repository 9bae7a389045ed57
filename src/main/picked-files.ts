import type { OperationName } from '../shared/api';
import { BACKUP_PLACES_LOCAL_ONLY } from './core/backup-places/local-only';

/**
 * The core takes an operation's `file` field only from this computer's command line, because
 * a remote caller could make Rigger read any file (BACKUP_PLACES_LOCAL_ONLY). A file the person
 * picked in the app's own native dialog is their choice as much as a command line's argument is,
 * so the desktop bridge lets exactly those paths through.
 */
const readsAPickedFile = (op: OperationName): boolean =>
  BACKUP_PLACES_LOCAL_ONLY[op]?.field === 'file';

/** The paths picked in this window's native dialog, and whether a call names only such a path. */
export function createPickedFiles() {
  const picked = new Set<string>();
  return {
    /** Remember what the dialog answered. */
    add(path: string | null): void {
      if (path) picked.add(path);
    },
    /** Does this call read a file, and is that file one the person picked? */
    allows(op: OperationName, input: unknown): boolean {
      if (!readsAPickedFile(op) || typeof input !== 'object' || input === null) return false;
      const value = (input as Record<string, unknown>).file;
      return typeof value === 'string' && picked.has(value);
    },
  };
}
