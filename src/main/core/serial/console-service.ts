import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import type { Profile } from '../../../shared/profile';
import type { ConsoleSessionInfo } from '../../../shared/serial';
import type { CoreEvents } from '../events';
import { runConsoleAction } from './console-actions';
import type { ConsoleService, Session } from './console-types';
import { openSerial } from './link';
import { UBootDriver } from './uboot-driver';
import { writeConsoleBundle } from './console-bundle';
import { consoleFlashJobs } from './console-flash-jobs';
import type { ChunkServerFactory } from './console-flash-path';
import type { JobEngine } from '../jobs/engine';
import type { ImageService } from '../images/service';

export type { ConsoleService, Session } from './console-types';

/** How much of an open console's past a joining terminal is given. */
const BACKLOG = 64 * 1024;

/**
 * Serial console sessions: the bytes go to the terminal as events and to a capture file; the
 * terminal types into it; quick actions drive U-Boot. While an action runs, typing is refused.
 */
export function createConsoleService(d: {
  events: CoreEvents;
  dataDir: string;
  profileOf: (gateway: string) => Profile;
  engine: JobEngine;
  images: ImageService;
  /** The job's TFTP server for a flash over U-Boot's network (Rigger's own on console.net). */
  chunkServer?: ChunkServerFactory;
}): ConsoleService {
  const sessions = new Map<string, Session>();
  const dir = join(d.dataDir, 'console');

  const info = (s: Session): ConsoleSessionInfo => ({
    session_id: s.id,
    path: s.link.where,
    baud: s.baud,
    state: s.state,
    capture_path: s.capturePath,
    gateway: s.gateway,
    busy: s.busy,
  });
  const get = (id: string) => {
    const s = sessions.get(id);
    if (!s) {
      throw new RiggerError('NOT_FOUND', `No open console session ${id}`, { session_id: id }, [
        'Open the console again',
      ]);
    }
    return s;
  };
  /**
   * Run an action with the terminal read-only meanwhile. Short actions wait their turn (the
   * gateway's status and a command may come together); during a flash they are refused.
   */
  const driving = <T>(s: Session, fn: () => Promise<T>): Promise<T> => {
    if (s.flashing) {
      throw new RiggerError('OTA_014', 'The console is busy flashing a slot', {}, [
        'Wait for the flash job to finish, or cancel it on the Jobs page',
      ]);
    }
    const run = s.queue.then(async () => {
      s.busy = true;
      try {
        return await fn();
      } finally {
        s.busy = false;
      }
    });
    s.queue = run.catch(() => undefined);
    return run;
  };

  const flashes = consoleFlashJobs({
    engine: d.engine,
    images: d.images,
    chunkServer: d.chunkServer,
    attach: (path, baud, gateway) => service.attach(path, baud, gateway),
    driving,
  });

  const onPort = (path: string) =>
    [...sessions.values()].find((s) => s.link.where === path && !s.link.isClosed);

  const service: ConsoleService = {
    // One owner per port: the terminal and the gateway's operations share it.
    async open(path, baud, gateway) {
      const joined = !!onPort(path);
      const s = await service.attach(path, baud, gateway);
      return { ...info(s), backlog: joined ? s.link.capture.join('').slice(-BACKLOG) : '' };
    },
    async attach(path, baud, gateway) {
      const profile = gateway ? d.profileOf(gateway) : null;
      const existing = onPort(path);
      if (existing) {
        if (existing.baud !== baud) {
          throw new RiggerError(
            'VALIDATION_ERROR',
            `${path} is already open at ${existing.baud} baud`,
            { path, open_baud: existing.baud, asked_baud: baud },
            [`Use ${existing.baud} baud, or close the console first`],
          );
        }
        if (gateway && !existing.gateway) {
          existing.gateway = gateway;
          existing.profile = profile;
          existing.uboot = new UBootDriver(existing.link, profile?.console?.uboot_prompt ?? '=> ');
        }
        return existing;
      }
      const link = await openSerial(path, baud);
      mkdirSync(dir, { recursive: true });
      const id = `console-${randomBytes(3).toString('hex')}`;
      const capturePath = join(
        dir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${path.replace(/\W+/g, '_')}.log`,
      );
      const capture = createWriteStream(capturePath, { flags: 'a' });
      const s: Session = {
        id,
        link,
        uboot: new UBootDriver(link, profile?.console?.uboot_prompt ?? '=> '),
        baud,
        state: 'unknown',
        capturePath,
        capture,
        gateway: gateway ?? null,
        profile,
        busy: false,
        flashing: false,
        queue: Promise.resolve(),
      };
      link.on('data', (chunk) => {
        capture.write(chunk);
        d.events.emit({ type: 'console_data', session_id: id, data: chunk.toString('latin1') });
      });
      sessions.set(id, s);
      s.state = await driving(s, () => s.uboot.detect(1200));
      return s;
    },
    drive(s, fn) {
      return driving(s, fn);
    },
    write(id, data) {
      const s = get(id);
      if (s.busy) {
        throw new RiggerError('OTA_014', 'An action is driving the console: typing waits', {}, [
          'Wait for it to finish',
        ]);
      }
      s.link.write(Buffer.from(data, 'latin1'));
      return { written: data.length };
    },
    info,
    async detect(id) {
      const s = get(id);
      s.state = await driving(s, () => s.uboot.detect(1200));
      return info(s);
    },
    async action(id, action, slot) {
      const s = get(id);
      return driving(s, () => runConsoleAction(s, action, slot));
    },
    // The terminal is read-only while the flash job runs.
    flash(id, imageId, slot, allowUnsigned, way) {
      return flashes.flash(get(id), imageId, slot, allowUnsigned, way);
    },
    resumeFlash: (jobId) => flashes.resume(jobId),
    async debug(id) {
      const s = get(id);
      return driving(s, async () => {
        let env: Record<string, string> | null = null;
        let envMissing: string | null = null;
        if (s.state === 'uboot') env = await s.uboot.printenv();
        else envMissing = `the console is not at the U-Boot prompt (it shows: ${s.state})`;
        return writeConsoleBundle({
          port: s.link.where,
          gateway: s.gateway,
          capture: s.link.capture.join(''),
          env,
          envMissing,
          dir: join(d.dataDir, 'debug'),
        });
      });
    },
    async close(id) {
      const s = get(id);
      sessions.delete(id);
      await s.link.close();
      await new Promise<void>((r) => s.capture.end(() => r()));
      return { closed: true };
    },
    async closeAll() {
      for (const id of [...sessions.keys()]) await service.close(id).catch(() => undefined);
    },
  };
  return service;
}
