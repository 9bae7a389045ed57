import type { ApiClient } from '../../../shared/api-client';
import { useConsole } from './console';
import { useFleet } from './fleet';
import { useGateways } from './gateways';
import { useImages } from './images';
import { useToasts } from './toasts';
import { refreshAfterJob } from './job-refresh';
import { useUi } from './ui';

/** Subscribe the stores to the core's events, once, outside any component. */
export function wireEvents(client: ApiClient): () => void {
  const offs = [
    client.on('gateways_changed', () => void useGateways.getState().load()),
    client.on('progress_update', (e) => useImages.getState().onProgress(e)),
    client.on('system_event', (e) => useConsole.getState().adapterEvent(e)),
    client.on('job_complete', (e) => void refreshAfterJob(client, e)),
    // A finished update moves a rollout on and changes a device: the Fleet page reads again.
    client.on('job_complete', () => void useFleet.getState().refresh()),
    client.on('rollout_changed', () => void useFleet.getState().refresh()),
    // An alert rule with a notification action: a toast on whatever page is open.
    client.on('alert', (e) => {
      useToasts.getState().fromAlert(e);
      void useFleet.getState().refresh();
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** Keep `<html data-theme>` in step with the theme in effect. */
export function wireTheme(root: HTMLElement): () => void {
  const apply = (theme: string) => {
    root.dataset.theme = theme;
  };
  apply(useUi.getState().theme);
  return useUi.subscribe((s, prev) => {
    if (s.theme !== prev.theme) apply(s.theme);
  });
}
