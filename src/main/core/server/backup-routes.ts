import { createReadStream, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { BACKUP_UPDATE_TYPES, type RiggerEvent } from '../../../shared/events';
import type { Core } from '../core';

/** The seed's WebSocket of backup progress (section 11): only its five message types. */
export const BACKUP_UPDATES_PATH = '/ws/backup/updates';

/** Which events a socket opened on `path` is sent. */
export function eventFilter(path: string): (event: RiggerEvent) => boolean {
  if (path !== BACKUP_UPDATES_PATH) return () => true;
  const types = new Set<string>(BACKUP_UPDATE_TYPES);
  return (event) => types.has(event.type);
}

/**
 * `backup/download/{id}`: the backup exported as one file (still encrypted as stored) through
 * `backup.download`, streamed, and removed once sent (it can be made again at any time).
 */
export async function sendBackupFile(core: Core, res: ServerResponse, id: string): Promise<void> {
  const out = await core.call('backup.download', { backup_id: id });
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(out.size),
    'Content-Disposition': `attachment; filename="${out.filename}"`,
    'Cache-Control': 'no-store',
  });
  const file = createReadStream(out.path);
  res.on('close', () => {
    file.destroy();
    rmSync(out.path, { force: true });
  });
  file.pipe(res);
}
