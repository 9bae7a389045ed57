import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import { canResume, toProgress } from '../jobs/format';
import { estimateSeconds, estimatedCompletion, noteEstimate } from '../jobs/estimate';
import type { JobRow } from '../jobs/store';
import { megabytes } from '../../../shared/format/bytes';
import { nowIso } from '../util/time';
import type { OtaDeps } from './context';
import { downloadBody, type DownloadParams } from './download';
import { installBody, type InstallParams } from './install';
import { cancelJob } from './cancel';
import { assertWindow, findImage, preflight } from './preflight';
import type { OtaService } from './types';
import { planWrite } from './update-plan';

/** The OTA area: start a write, install it, report progress, resume and cancel. */
export function createOtaService(d: OtaDeps): OtaService {
  const { engine } = d;
  const job = (id: string): JobRow => {
    const row = engine.store.find(id);
    if (!row)
      throw new RiggerError('OTA_013', `No job ${id}`, { job_id: id }, [
        'List jobs with: rigger jobs',
      ]);
    return row;
  };

  const startDownload = (
    gateway: string,
    image: LibraryImage,
    params: DownloadParams,
    user: string,
    subtype: string,
  ) => {
    const row = engine.create({
      gateway,
      type: 'update',
      subtype,
      started_by: user,
      params: { ...params, version: params.version, type: image.type, size: image.size },
    });
    engine.store.update(row.id, { bytes_total: image.size });
    void engine.run(row.id, downloadBody(d, gateway, params), { keepOpen: true });
    return row;
  };

  const startInstall = (row: JobRow, p: InstallParams) => {
    if (
      row.status !== 'downloaded' &&
      row.status !== 'interrupted' &&
      !(row.status === 'failed' && row.state.switched)
    ) {
      throw new RiggerError(
        'OTA_013',
        `Job ${row.id} is ${row.status}: only a downloaded image can be installed`,
        { job_id: row.id, status: row.status },
        ['Wait for the download to finish'],
      );
    }
    engine.store.update(row.id, { subtype: 'install', params: { ...row.params, install: p } });
    void engine.run(row.id, installBody(d, row.gateway, p));
  };

  return {
    async plan(input) {
      const image = findImage(d, { id: input.update_id, version: input.version });
      return (await planWrite(d, input.gateway, image, input.target_partition)).answer;
    },
    async download(input) {
      const image = findImage(d, { id: input.update_id, version: input.version });
      const target = await preflight(d, input.gateway, image, input);
      const row = startDownload(
        input.gateway,
        image,
        {
          image_id: image.id,
          version: image.version,
          target_partition: input.target_partition,
          allow_unsigned: input.allow_unsigned,
          verify_signature: input.verify_signature,
        },
        input.user,
        'download',
      );
      return {
        status: 'started' as const,
        job_id: row.id,
        update: {
          id: image.id,
          version: image.version,
          size: megabytes(image.size),
          size_unit: 'MB' as const,
          type: image.type,
          severity: image.severity,
        },
        target_partition: target,
        estimated_time: noteEstimate(engine.store, row.id, {
          gateway: input.gateway,
          type: 'update',
          bytes: image.size,
        }),
        download_speed_limit: 0,
        resumable: true,
        cancelable: true,
      };
    },
    progress(jobId) {
      const row = jobId ? job(jobId) : engine.store.list({ limit: 1 })[0];
      if (!row)
        throw new RiggerError('OTA_013', 'No update job yet', {}, [
          'Start one with updates.download',
        ]);
      return toProgress(row);
    },
    install(input) {
      const row = job(input.job_id);
      if (!input.reboot_after) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          'Rigger switches slots only with a reboot it watches through to the commit',
          { reboot_after: false },
          ['Install later: the image stays written and verified until then'],
        );
      }
      assertWindow(d, row.gateway, input.confirm_outside_window);
      startInstall(row, input);
      const plan = {
        gateway: row.gateway,
        type: 'update' as const,
        rebootDelay: input.reboot_delay,
      };
      // The install goes on from the written job: its countdown runs from the job's start.
      const ahead = estimateSeconds(engine.store, plan);
      engine.store.mergeState(row.id, {
        estimated_seconds: (Date.now() - Date.parse(row.started_at)) / 1000 + ahead,
      });
      return {
        status: 'installing' as const,
        installation_id: row.id,
        progress: 0,
        current_operation: 'safety_check',
        estimated_completion: estimatedCompletion(engine.store, plan),
        warning: 'Gateway will be unavailable during installation',
        next_steps: [
          'Checking safety',
          'Checking partition integrity',
          'Updating bootloader',
          'Rebooting',
          'Checking health, then committing',
        ],
      };
    },
    async flash(input, install, confirmOutsideWindow = false) {
      if (install) assertWindow(d, input.gateway, confirmOutsideWindow);
      const started = await this.download(input);
      if (install) {
        const row = job(started.job_id);
        // The job goes on through the install: its estimate covers the reboot too.
        started.estimated_time = noteEstimate(engine.store, row.id, {
          gateway: input.gateway,
          type: 'update',
          bytes: started.update.size * 1_000_000,
          rebootDelay: install.reboot_delay,
        });
        engine.store.update(row.id, { params: { ...row.params, install } });
        void engine.wait(row.id).then(() => {
          const after = engine.store.find(row.id);
          if (after?.status === 'downloaded') startInstall(after, install);
        });
      }
      return started;
    },
    async deploy(input) {
      assertWindow(d, input.gateway, input.confirm_outside_window);
      const id = await d.images.resolveDeploy(input.filename, {
        version: input.version,
        allowUnsigned: input.allow_unsigned,
      });
      const image = findImage(d, { id, version: input.version });
      const target = await preflight(d, input.gateway, image, { ...input, verify_signature: true });
      const row = startDownload(
        input.gateway,
        image,
        {
          image_id: image.id,
          version: input.version ?? image.version,
          target_partition: input.target_partition,
          allow_unsigned: input.allow_unsigned,
          verify_signature: true,
        },
        'local',
        'deploy',
      );
      void engine.wait(row.id).then(() => {
        const after = engine.store.find(row.id);
        if (after?.status === 'downloaded')
          startInstall(after, {
            reboot_delay: input.reboot_delay,
            verify_installation: input.verify_before_deploy,
            create_snapshot: input.create_snapshot,
          });
      });
      return {
        status: 'deploying' as const,
        deployment_id: row.id,
        version: input.version ?? image.version,
        target_partition: target,
        estimated_time: noteEstimate(engine.store, row.id, {
          gateway: input.gateway,
          type: 'update',
          bytes: image.size,
          rebootDelay: input.reboot_delay,
        }),
        steps: [
          'Preparing partition',
          'Writing image',
          'Verifying write',
          'Updating bootloader',
          'Rebooting and committing',
        ],
      };
    },
    resume(jobId) {
      const row = job(jobId);
      if (!canResume(row)) {
        const again = row.type !== 'update' || row.subtype === 'console_flash';
        throw new RiggerError(
          'OTA_013',
          again
            ? `Job ${jobId} (${row.type === 'update' ? 'a flash over the console' : `a ${row.type.replace('_', ' ')}`}) is not resumed from where it stopped: start it again`
            : `Job ${jobId} is ${row.status} and cannot be resumed`,
          { job_id: jobId, status: row.status, type: row.type, subtype: row.subtype },
          again
            ? ['Start the same action again: it checks the gateway from the start']
            : ['Start a new update'],
        );
      }
      engine.store.update(jobId, { error: null, finished_at: null });
      d.events.emit({
        type: 'system_event',
        event: 'job_resumed',
        message: `Job ${jobId} resumed`,
        timestamp: nowIso(),
      });
      const inst = row.params.install as InstallParams | undefined;
      if (row.state.phase === 'install' && inst)
        void engine.run(jobId, installBody(d, row.gateway, inst));
      else {
        const dl = row.params as unknown as DownloadParams;
        const inner = engine.run(jobId, downloadBody(d, row.gateway, dl), { keepOpen: true });
        // A job started as flash/deploy goes on to install once the write is verified again.
        if (inst)
          void inner.then(
            () =>
              engine.store.find(jobId)?.status === 'downloaded' &&
              startInstall(engine.store.find(jobId)!, inst),
          );
      }
      return engine.store.find(jobId)!;
    },
    cancel: (jobId, reason, cleanup) => cancelJob(d, job(jobId), reason, cleanup),
  };
}

export type { OtaService } from './types';
