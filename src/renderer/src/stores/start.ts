import type { ApiClient } from '../../../shared/api-client';
import { api, setClient } from './client';
import { useGateways } from './gateways';
import { useSettings } from './settings';
import { useUi } from './ui';
import { wireEvents } from './wire-events';

/** Hand the stores their client, subscribe to events and read what the first screen needs. */
export function startStores(client: ApiClient): () => void {
  setClient(client);
  const unwire = wireEvents(client);
  void useGateways.getState().load();
  void useSettings.getState().load();
  api()
    .call('app.info', {})
    .then(
      (info) => useUi.getState().setAppInfo(info),
      () => useUi.getState().setAppInfo(null),
    );
  return unwire;
}
