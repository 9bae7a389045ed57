import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import type { ImageService } from '../images/service';
import type { JobEngine } from '../jobs/engine';
import { canResume } from '../jobs/format';
import type { JobRow } from '../jobs/store';
import { librarySource } from '../slots/sources';
import { consoleFlashBody } from './console-flash';
import { laptopTftp, type ChunkServerFactory } from './console-flash-path';
import type { Session } from './console-types';

/** How a console flash travels: TFTP or YMODEM (default: what the board offers), and the port. */
export interface ConsoleFlashWay {
  via?: 'tftp' | 'ymodem';
  /** The laptop's TFTP port (default: an unprivileged one, told to U-Boot). */
  tftpPort?: number;
  /** false: raw chunks even where U-Boot has gzwrite. */
  compress?: boolean;
}

/** What the console's flash jobs need from the console service around them. */
export interface ConsoleFlashDeps {
  engine: JobEngine;
  images: ImageService;
  chunkServer?: ChunkServerFactory;
  /** The open session on a port (opened, or joined). */
  attach(path: string, baud: number, gateway: string): Promise<Session>;
  /** Run `fn` with the terminal read-only, one action at a time. */
  driving<T>(s: Session, fn: () => Promise<T>): Promise<T>;
}

/**
 * Slot flashes over a console, as jobs: started with the image's trust and fit checked, and
 * resumed on the same port from the first chunk not proven. The terminal is read-only meanwhile.
 */
export function consoleFlashJobs(d: ConsoleFlashDeps) {
  const launch = (
    s: Session,
    jobId: string,
    imageId: string,
    slot: SlotId,
    way: ConsoleFlashWay,
  ) => {
    const body = consoleFlashBody(s.uboot, s.profile!, librarySource(d.images, imageId), slot, {
      ...way,
      chunkServer: d.chunkServer ?? laptopTftp,
    });
    s.busy = s.flashing = true;
    void d.engine.run(jobId, body).finally(() => (s.busy = s.flashing = false));
  };

  return {
    /** Flash a slot from the library over this console (a job); trust and fit checked first. */
    flash(
      s: Session,
      imageId: string,
      slot: SlotId,
      allowUnsigned: boolean,
      way: ConsoleFlashWay = {},
    ): { job_id: string } {
      if (!s.profile || !s.gateway) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          'Flashing over the console needs the gateway (its profile says where the slots are)',
          {},
          ['Open the console for a registered gateway'],
        );
      }
      const image = librarySource(d.images, imageId).image;
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
        params: {
          version: image.version,
          image_id: image.id,
          target: slot,
          size: image.size,
          port: s.link.where,
          baud: s.baud,
          ...(way.via ? { via: way.via } : {}),
          ...(way.tftpPort ? { tftp_port: way.tftpPort } : {}),
          ...(way.compress === false ? { compress: false } : {}),
        },
      });
      d.engine.store.update(row.id, { bytes_total: image.size });
      launch(s, row.id, imageId, slot, way);
      return { job_id: row.id };
    },

    /** A flash the adapter or the app left: the same port, at U-Boot, from the first unproven chunk. */
    async resume(jobId: string): Promise<JobRow> {
      const row = d.engine.store.find(jobId);
      if (!row || row.subtype !== 'console_flash') {
        throw new RiggerError('NOT_FOUND', `No console flash job ${jobId}`, { job_id: jobId });
      }
      if (!canResume(row)) {
        throw new RiggerError(
          'OTA_013',
          `Job ${jobId} (a flash over the console, ${row.status}) has no chunk journal to go on from: start it again`,
          { job_id: jobId, status: row.status, type: row.type, subtype: row.subtype },
          ['Start the same flash again: it checks the board from the start'],
        );
      }
      const p = row.params as {
        port: string;
        baud?: number;
        image_id: string;
        target: SlotId;
        via?: 'tftp' | 'ymodem';
        tftp_port?: number;
        compress?: boolean;
      };
      const s = await d.attach(p.port, p.baud ?? 115200, row.gateway);
      await d.driving(s, async () => {
        s.state = await s.uboot.detect(1200);
        if (s.state === 'autoboot') s.state = (await s.uboot.stopAutoboot(60_000), 'uboot');
        if (s.state !== 'uboot') {
          throw new RiggerError(
            'VALIDATION_ERROR',
            `The console on ${p.port} is not at U-Boot (${s.state}): the flash goes on from U-Boot`,
            { state: s.state },
            ['Reset the gateway and stop its autoboot, then resume'],
          );
        }
      });
      d.engine.store.update(jobId, { error: null, finished_at: null });
      launch(s, jobId, p.image_id, p.target, {
        via: p.via,
        tftpPort: p.tftp_port,
        compress: p.compress,
      });
      return d.engine.store.find(jobId)!;
    },
  };
}
