import { createReadStream } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';
import type { OperationName } from '../../../shared/api';
import type { RiggerEventType } from '../../../shared/events';
import type { Core } from '../core';

/** The seed's two backup channels and the message types each carries (section 11). */
const CHANNELS: Record<string, ReadonlySet<RiggerEventType>> = {
  '/ws/backup/notifications': new Set<RiggerEventType>([
    'backup_completed',
    'backup_failed',
    'restore_completed',
    'storage_alert',
    'schedule_event',
  ]),
  '/ws/backup/health': new Set<RiggerEventType>([
    'storage_health',
    'service_status',
    'connectivity_status',
  ]),
};

/** Sockets of `/ws/backup/notifications` and `/ws/backup/health`, each fed its own types. */
export function backupChannels(core: Core) {
  const subs = new Map<WebSocket, ReadonlySet<RiggerEventType>>();
  const off = core.events.onAny((e) => {
    let text: string | null = null;
    for (const [ws, types] of subs)
      if (types.has(e.type) && ws.readyState === ws.OPEN) ws.send((text ??= JSON.stringify(e)));
  });
  return {
    handles: (path: string) => Object.hasOwn(CHANNELS, path),
    add(ws: WebSocket, path: string) {
      subs.set(ws, CHANNELS[path]!);
      ws.on('close', () => subs.delete(ws));
      // A new health watcher hears the state now, not at the next periodic check.
      if (path === '/ws/backup/health')
        void core.call('backupPlaces.health', {}).catch(() => undefined);
    },
    close() {
      off();
      for (const ws of subs.keys()) ws.terminate();
    },
  };
}

/**
 * Answers the seed sends as files: the report itself (written by `backupPlaces.report` to
 * Rigger's reports folder) and the configuration export as an attachment.
 */
export function sendBackupPlacesFile(
  res: ServerResponse,
  op: OperationName,
  output: unknown,
): boolean {
  if (op === 'backupPlaces.report') {
    const r = output as { path: string; filename: string; content_type: string; size: number };
    res.writeHead(200, {
      'Content-Type': r.content_type,
      'Content-Length': String(r.size),
      'Content-Disposition': `attachment; filename="${r.filename}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    createReadStream(r.path).pipe(res);
    return true;
  }
  if (op === 'backupPlaces.exportConfig') {
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="config_export_${day}.json"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(JSON.stringify(output));
    return true;
  }
  return false;
}
