import type { ApiClient } from '../../../shared/api-client';
import { useGateways } from './gateways';

/** Subscribe the stores to the core's events, once, outside any component. */
export function wireEvents(client: ApiClient): () => void {
  const offs = [client.on('gateways_changed', () => void useGateways.getState().load())];
  return () => offs.forEach((off) => off());
}
