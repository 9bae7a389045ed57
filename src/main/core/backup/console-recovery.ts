import type { OperationOutput } from '../../../shared/api';
import { RiggerError } from '../../../shared/errors';
import type { SlotId } from '../../../shared/profile';
import { consoleImageOf } from './console-image';
import { profileOf } from './gateway-facts';
import type { BackupManifest } from './manifest';
import type { BackupContext } from './service';

/** Flash a library image into a slot of a gateway registered on its serial console (a job). */
export type ConsoleFlashPort = (
  gateway: string,
  imageId: string,
  allowUnsigned: boolean,
) => Promise<{ job_id: string; slot: SlotId }>;

/**
 * Disaster recovery of a gateway whose Linux is down and that is reached on its serial console:
 * the backup's system image goes through the console flash path (U-Boot fetches it over TFTP or
 * YMODEM, every chunk proven by crc32 read back, into the slot U-Boot does not boot next). The
 * data components need Linux: the answer says to recover them (recovery_type `data`) once the
 * gateway answers over SSH again. A copied slot image goes through the library first
 * (`consoleImageOf`).
 */
export async function recoverOverConsole(
  c: BackupContext,
  gateway: string,
  m: BackupManifest,
  files: string[],
  system: boolean,
): Promise<OperationOutput<'recovery.initiate'>> {
  const sys = m.system;
  if (!system || !sys)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${gateway} is reached on its serial console: only the system image can be recovered there, and backup ${m.id} holds none`,
      { backup_id: m.id, components: Object.keys(m.components) },
      ['Recover the data components once the gateway answers over SSH'],
    );
  const model = profileOf(c, gateway).model;
  if (m.gateway.model && m.gateway.model !== model)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `Backup ${m.id} is of a ${m.gateway.model} gateway, not of this ${model}: nothing was written`,
      { backup_model: m.gateway.model, gateway_model: model },
      ['Choose a backup of this gateway model'],
    );
  if (!c.consoleFlash)
    throw new RiggerError('VALIDATION_ERROR', 'Console flashing is not available here');
  const image = await consoleImageOf(c, m);
  const { job_id, slot } = await c.consoleFlash(gateway, image.id, image.unsigned);
  return {
    status: 'recovery_started' as const,
    recovery_id: job_id,
    backup_id: m.id,
    estimated_duration: 'unknown',
    pre_recovery_snapshot_id: null,
    warning: [
      `The system image ${sys.version ?? ''} goes into slot ${slot} over the serial console; switch to it from the console when the flash is proven`,
      ...(files.length
        ? [
            `${files.join(', ')} need Linux: recover them ("recovery_type": "data") once ${gateway} answers over SSH`,
          ]
        : []),
    ].join('; '),
    progress_url: `/cloud-integration/jobs/${job_id}`,
  };
}
