import type { UpdatesArea } from '../ota/area';
import type { AreaHandlers } from './handlers';

/** Update download, progress, install and manual deploy as API operations. */
export function otaHandlers(
  a: UpdatesArea,
): AreaHandlers<'updates.download' | 'updates.progress' | 'updates.install' | 'upload.deploy'> {
  return {
    'updates.download': async (input) => a.ota.download(input),
    'updates.progress': async ({ job_id }) => a.ota.progress(job_id),
    'updates.install': async (input) => a.ota.install(input),
    'upload.deploy': async (input) => a.ota.deploy(input),
  };
}
