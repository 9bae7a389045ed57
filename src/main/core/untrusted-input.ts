import { RiggerError } from '../../shared/errors';
import { BACKUP_PLACES_LOCAL_ONLY } from './backup-places/local-only';

/**
 * Fields only a caller on this computer's command line may set: a REST or IPC caller could
 * otherwise make Rigger overwrite any file its user can write. Such callers get Rigger's own
 * folder (and the download link) instead.
 */
const LOCAL_ONLY: Record<string, { field: string; why: string; cli?: string }> = {
  'monitor.debug': {
    field: 'output',
    why: "A debug bundle is saved in Rigger's data folder; fetch it from its download_url",
  },
  ...BACKUP_PLACES_LOCAL_ONLY,
};

/** Operations only this computer's command line may run: they would undo a guard remotely. */
const LOCAL_ONLY_OPERATIONS: Record<string, string> = {
  'safety.resetPin':
    'Resetting the PIN without it is done on the laptop itself: rigger safety pin --reset',
};

/**
 * Refuse, changing nothing, an untrusted call that names what only a local user may name. A
 * `file` to read that is one of `picked` (paths the person chose in the desktop app's own
 * file-open dialog) is their choice as much as a command-line argument is, and passes.
 */
export function checkUntrustedInput(
  op: string,
  input: unknown,
  picked: ReadonlySet<string> = new Set(),
): void {
  const local = LOCAL_ONLY_OPERATIONS[op];
  if (local)
    throw new RiggerError('UNAUTHORIZED', `${op} cannot be called from here`, { operation: op }, [
      local,
    ]);
  const rule = LOCAL_ONLY[op];
  if (!rule || typeof input !== 'object' || input === null) return;
  const value = (input as Record<string, unknown>)[rule.field];
  if (rule.field === 'file' && typeof value === 'string' && picked.has(value)) return;
  if (value !== undefined) {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${op}: ${rule.field} cannot be chosen here. ${rule.why}.`,
      { field: rule.field },
      [
        'Leave it out',
        `On the laptop itself, use the command line: ${rule.cli ?? 'rigger debug-bundle GATEWAY --output FILE'}`,
      ],
    );
  }
}
