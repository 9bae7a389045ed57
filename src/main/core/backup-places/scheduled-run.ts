import type { Schedule } from '../../../shared/backup-places';
import { RiggerError } from '../../../shared/errors';
import { fileComponents } from '../backup/components';
import { backupGateway } from '../backup/gateway-backup';
import type { BackupRepository } from '../backup/repository';
import type { GatewayService } from '../gateways/service';

/** What a scheduled run produced, for its notifications. */
export interface ScheduledRun {
  backup_id: string;
  name: string;
  size: number;
  duration_s: number;
}

/** A backup id for a run: the schedule, the gateway and the minute, as the store allows them. */
const runId = (s: Schedule, gateway: string, at: Date) =>
  `${s.id}_${gateway}_${at.toISOString().replace(/[-:]/g, '').slice(0, 15)}`
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .slice(0, 100);

/**
 * A scheduled backup of one gateway, through its live session into the site's store: the
 * profile's file components (a `config` run only its `config` component where it has one).
 * The booted system slot is not copied by a scheduled run. An encrypted schedule with the
 * backup key locked fails, saying so, rather than writing a plain backup.
 */
export function scheduledBackup(d: {
  gateways: GatewayService;
  /** The store, opened on first use by the backup service. */
  repo: () => BackupRepository;
}) {
  return async (s: Schedule, gateway: string): Promise<ScheduledRun> => {
    const started = new Date();
    const repo = d.repo();
    if (s.encryption && !repo.key)
      throw new RiggerError(
        'SECRET_UNAVAILABLE',
        `Schedule ${s.id} encrypts its backups, and the backup key is not unlocked here`,
        { schedule_id: s.id },
        ['Set RIGGER_BACKUP_PASSPHRASE for `rigger serve`, or turn encryption off for it'],
      );
    const { profile, session } = await d.gateways.session(gateway);
    const offered = fileComponents(profile);
    const components =
      (s.type === 'config' || s.type === 'snapshot') && offered.config
        ? { config: offered.config }
        : offered;
    const id = runId(s, gateway, started);
    const name = `${s.name} (${gateway})`;
    const r = await backupGateway(session, repo, {
      id,
      name,
      type: s.type === 'snapshot' ? 'config' : s.type,
      kind: s.type === 'snapshot' ? 'snapshot' : 'backup',
      description: `Scheduled by ${s.id}`,
      created_by: `schedule ${s.id}`,
      encrypt: s.encryption,
      gateway: {
        name: gateway,
        gateway_id: gateway,
        model: profile.model,
        version: null,
        serial_number: null,
      },
      components,
    });
    return {
      backup_id: r.manifest.id,
      name,
      size: r.bytes,
      duration_s: (Date.now() - started.getTime()) / 1000,
    };
  };
}
