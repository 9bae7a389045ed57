import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { RiggerError } from '../../../shared/errors';
import type { Profile, SlotId } from '../../../shared/profile';
import type { ConsoleSessionInfo } from '../../../shared/serial';
import type { CoreEvents } from '../events';
import type { ConsoleState } from './console-state';
import { openSerial, type SerialLink } from './link';
import { UBootDriver } from './uboot-driver';
import { bootRecoveryAtUboot, switchAtUboot } from './uboot-actions';
import { writeConsoleBundle } from './console-bundle';
import { consoleFlashBody } from './console-flash';
import type { JobEngine } from '../jobs/engine';
import type { ImageService } from '../images/service';
import { librarySource } from '../slots/sources';

/** How much of an open console's past a joining terminal is given. */
const BACKLOG = 64 * 1024;

/** An open console: one per port, shared by the terminal and the gateway's operations. */
export interface Session {
  id: string;
  link: SerialLink;
  uboot: UBootDriver;
  baud: number;
  state: ConsoleState;
  capturePath: string;
  capture: WriteStream;
  gateway: string | null;
  profile: Profile | null;
  busy: boolean;
  /** A flash job drives the console for minutes: other actions are refused meanwhile. */
  flashing: boolean;
  /** Short actions run one after another in this chain. */
  queue: Promise<unknown>;
}

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
}) {
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

  const onPort = (path: string) =>
    [...sessions.values()].find((s) => s.link.where === path && !s.link.isClosed);

  const service = {
    /**
     * Open a port, or join the console already open on it (one owner per port: the terminal
     * and the gateway's operations share it). Joining at another baud is refused.
     */
    async open(path: string, baud: number, gateway?: string) {
      const joined = !!onPort(path);
      const s = await service.attach(path, baud, gateway);
      return { ...info(s), backlog: joined ? s.link.capture.join('').slice(-BACKLOG) : '' };
    },
    /** The session on `path`, opened if none is (see open). */
    async attach(path: string, baud: number, gateway?: string): Promise<Session> {
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
    /** Drive an open console (typing refused meanwhile); one action at a time. */
    drive<T>(s: Session, fn: () => Promise<T>): Promise<T> {
      return driving(s, fn);
    },
    write(id: string, data: string) {
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
    async detect(id: string) {
      const s = get(id);
      s.state = await driving(s, () => s.uboot.detect(1200));
      return info(s);
    },
    async action(
      id: string,
      action: 'stop_autoboot' | 'printenv' | 'reset' | 'switch_slot' | 'boot_recovery',
      slot?: SlotId,
    ) {
      const s = get(id);
      return driving(s, async () => {
        if (action === 'stop_autoboot') {
          await s.uboot.stopAutoboot(60_000);
          s.state = 'uboot';
          return { output: 'Stopped at the U-Boot prompt', env: null };
        }
        if (action === 'printenv') {
          const env = await s.uboot.printenv();
          return { output: `${Object.keys(env).length} variables`, env };
        }
        if (action === 'reset') {
          s.uboot.reset();
          s.state = 'unknown';
          return { output: 'Reset sent', env: null };
        }
        if (action === 'boot_recovery') {
          if (!s.profile) {
            throw new RiggerError(
              'VALIDATION_ERROR',
              'Booting the recovery system needs the gateway (its profile names the command)',
              { gateway: s.gateway },
              ['Open the console for a registered gateway'],
            );
          }
          const r = await bootRecoveryAtUboot(s.uboot, s.profile);
          s.state = 'unknown';
          return { output: `Booting the recovery system (${r.command})`, env: null };
        }
        if (!slot || !s.profile) {
          throw new RiggerError(
            'VALIDATION_ERROR',
            'Switching the slot needs the gateway (for its boot scheme) and the slot to boot',
            { slot: slot ?? null, gateway: s.gateway },
            ['Open the console for a registered gateway'],
          );
        }
        // Boot `slot` for good: it is selected and the other is no longer tried.
        const env = await switchAtUboot(s.uboot, s.profile, slot);
        s.state = 'unknown';
        return { output: `Slot ${slot} selected and saved; resetting`, env };
      });
    },
    /**
     * Flash a slot from the library over this console (a job): trust and fit checked first,
     * the terminal read-only while it runs.
     */
    flash(id: string, imageId: string, slot: SlotId, allowUnsigned: boolean) {
      const s = get(id);
      if (!s.profile || !s.gateway) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          'Flashing over the console needs the gateway (its profile says where the slots are)',
          {},
          ['Open the console for a registered gateway'],
        );
      }
      const source = librarySource(d.images, imageId);
      const image = source.image;
      if (image.signature === 'invalid' || (image.signature === 'unsigned' && !allowUnsigned)) {
        throw new RiggerError(
          'OTA_006',
          `Image ${image.id} is ${image.signature}: it is not written without an explicit choice`,
          { image: image.id, signature: image.signature },
          ['Use a signed bundle', 'Or allow unsigned images for this flash (audited)'],
        );
      }
      if (image.size > s.profile.slots[slot].size_bytes) {
        throw new RiggerError('OTA_003', `Image ${image.id} does not fit slot ${slot}`, {
          image_size: image.size,
          slot_size: s.profile.slots[slot].size_bytes,
        });
      }
      if (s.busy || s.flashing)
        throw new RiggerError('OTA_014', 'The console is busy', {}, ['Wait for it']);
      const row = d.engine.create({
        gateway: s.gateway,
        type: 'update',
        subtype: 'console_flash',
        started_by: 'local',
        params: { version: image.version, image_id: image.id, target: slot, size: image.size },
      });
      d.engine.store.update(row.id, { bytes_total: image.size });
      const body = consoleFlashBody(s.uboot, s.profile, source, slot);
      s.busy = s.flashing = true;
      void d.engine.run(row.id, body).finally(() => (s.busy = s.flashing = false));
      return { job_id: row.id };
    },
    /** A debug bundle from this console: its capture, and U-Boot's environment at the prompt. */
    async debug(id: string) {
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
    async close(id: string) {
      const s = get(id);
      sessions.delete(id);
      await s.link.close();
      await new Promise<void>((r) => s.capture.end(() => r()));
      return { closed: true as const };
    },
    async closeAll() {
      for (const id of [...sessions.keys()]) await service.close(id).catch(() => undefined);
    },
  };
  return service;
}

export type ConsoleService = ReturnType<typeof createConsoleService>;
