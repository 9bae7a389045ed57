import type { OtaService } from '../ota/service';
import type { AreaHandlers } from './handlers';

/** Update plan, download, progress, install, flash and manual deploy as API operations. */
export function otaHandlers(
  ota: OtaService,
): AreaHandlers<
  | 'updates.plan'
  | 'updates.download'
  | 'updates.progress'
  | 'updates.install'
  | 'updates.flash'
  | 'upload.deploy'
> {
  return {
    'updates.plan': async (input) => ota.plan(input),
    'updates.download': async (input) => ota.download(input),
    'updates.progress': async ({ job_id }) => ota.progress(job_id),
    'updates.install': async (input) => ota.install(input),
    'updates.flash': async ({ install, confirm_outside_window, ...input }) =>
      ota.flash(input, install, confirm_outside_window),
    'upload.deploy': async (input) => ota.deploy(input),
  };
}
