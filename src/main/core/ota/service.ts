import { RiggerError } from '../../../shared/errors';
import type { LibraryImage } from '../../../shared/images';
import type { SlotId } from '../../../shared/profile';
import type { DownloadInput, InstallInput } from '../../../shared/ota';
import { canResume, toProgress } from '../jobs/format';
import type { JobRow } from '../jobs/store';
import { windowState } from '../../../shared/maintenance';
import { megabytes } from '../../../shared/format/bytes';
import { formatDateTime } from '../../../shared/format/time';
import { nowIso } from '../util/time';
import type { OtaDeps } from './context';
import { downloadBody, type DownloadParams } from './download';
import { installBody, type InstallParams } from './install';
import { cancelJob } from './cancel';
import { checkImage, pickTarget } from './checks';

/** The OTA area: start a write, install it, report progress, resume and cancel. */
export function createOtaService(d: OtaDeps) {
  const { engine } = d;
  const job = (id: string): JobRow => {
    const row = engine.store.find(id);
    if (!row)
      throw new RiggerError('OTA_013', `No job ${id}`, { job_id: id }, [
        'List jobs with: rigger jobs',
      ]);
    return row;
  };

  /** An image by id, or the newest of a version. */
  const findImage = (ref: { id?: string; version?: string }): LibraryImage => {
    if (ref.id) {
      const byId = d.images.list({}).find((i) => i.id === ref.id || i.version === ref.id);
      if (byId) return byId;
    }
    const byVersion = ref.version
      ? d.images.list({}).find((i) => i.version === ref.version)
      : undefined;
    if (byVersion) return byVersion;
    throw new RiggerError(
      'NOT_FOUND',
      `No image ${ref.id ?? ref.version ?? ''} in the library`,
      { ...ref },
      ['Import it first: rigger images import FILE'],
    );
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

  /**
   * The slot a job will write, known before it starts, with the image checked against the
   * gateway (rules 1 and 4): a request that can only fail is refused now, and no job exists.
   * The job checks again when it runs (it may be resumed much later).
   */
  const preflight = async (
    gateway: string,
    image: LibraryImage,
    p: { target_partition?: SlotId; allow_unsigned: boolean; verify_signature: boolean },
  ): Promise<SlotId> => {
    const status = await d.gateways.status(gateway, 'pinned-only');
    const { profile } = await d.gateways.session(gateway);
    const { target } = pickTarget(status, p.target_partition);
    checkImage(image, status, profile, target, {
      allowUnsigned: p.allow_unsigned,
      verifySignature: p.verify_signature,
    });
    return target;
  };

  /**
   * Switching and rebooting outside the maintenance window needs the technician's explicit
   * confirmation (OTA_015 says when the window opens); a confirmed exception is audited.
   */
  const assertWindow = (gateway: string, confirmed: boolean) => {
    const w = windowState(d.settings.get().maintenance_window);
    if (w.open) return;
    if (confirmed) {
      d.audit.record({
        action: 'ota.outside_maintenance_window',
        outcome: 'ok',
        details: { gateway, opens_at: w.opens_at },
      });
      return;
    }
    const when = w.opens_at ? formatDateTime(w.opens_at) : 'at no scheduled time';
    throw new RiggerError(
      'OTA_015',
      `Outside the maintenance window: it opens ${when}. Confirm to install now`,
      { maintenance_window: w, opens_at: w.opens_at },
      [
        `Wait for the maintenance window (opens ${when})`,
        'Or confirm installing outside it (recorded in the audit log)',
      ],
    );
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
    async download(input: DownloadInput) {
      const image = findImage({ id: input.update_id, version: input.version });
      const target = await preflight(input.gateway, image, input);
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
        estimated_time: null,
        download_speed_limit: 0,
        resumable: true,
        cancelable: true,
      };
    },
    progress(jobId?: string) {
      const row = jobId ? job(jobId) : engine.store.list({ limit: 1 })[0];
      if (!row)
        throw new RiggerError('OTA_013', 'No update job yet', {}, [
          'Start one with updates.download',
        ]);
      return toProgress(row);
    },
    install(input: InstallInput) {
      const row = job(input.job_id);
      if (!input.reboot_after) {
        throw new RiggerError(
          'VALIDATION_ERROR',
          'Rigger switches slots only with a reboot it watches through to the commit',
          { reboot_after: false },
          ['Install later: the image stays written and verified until then'],
        );
      }
      assertWindow(row.gateway, input.confirm_outside_window);
      startInstall(row, input);
      return {
        status: 'installing' as const,
        installation_id: row.id,
        progress: 0,
        current_operation: 'safety_check',
        estimated_completion: null,
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
    /** Write then install in one job (the CLI's `flash`); the install params are journaled first. */
    async flash(input: DownloadInput, install: InstallParams | null, confirmOutsideWindow = false) {
      if (install) assertWindow(input.gateway, confirmOutsideWindow);
      const started = await this.download(input);
      if (install) {
        const row = job(started.job_id);
        engine.store.update(row.id, { params: { ...row.params, install } });
        void engine.wait(row.id).then(() => {
          const after = engine.store.find(row.id);
          if (after?.status === 'downloaded') startInstall(after, install);
        });
      }
      return started;
    },
    /** Seed "Deploy Manual Image": the same path, then install, for a verified custom image. */
    async deploy(input: {
      gateway: string;
      filename: string;
      version?: string;
      target_partition?: SlotId;
      allow_unsigned: boolean;
      verify_before_deploy: boolean;
      create_snapshot: boolean;
      reboot_delay: number;
      confirm_outside_window: boolean;
    }) {
      assertWindow(input.gateway, input.confirm_outside_window);
      const image = findImage({ id: input.filename, version: input.version });
      const target = await preflight(input.gateway, image, { ...input, verify_signature: true });
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
        estimated_time: null,
        steps: [
          'Preparing partition',
          'Writing image',
          'Verifying write',
          'Updating bootloader',
          'Rebooting and committing',
        ],
      };
    },
    /** Continue an interrupted (or link-failed) job from its journal. */
    resume(jobId: string) {
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
    cancel: (jobId: string, reason: string, cleanup: boolean) =>
      cancelJob(d, job(jobId), reason, cleanup),
  };
}

export type OtaService = ReturnType<typeof createOtaService>;
