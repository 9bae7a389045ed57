import type { HawkbitCourier } from '../hawkbit/courier';
import type { AreaHandlers } from './handlers';

/** The hawkBit courier as API operations: its connection, a sync, and what it holds. */
export function hawkbitHandlers(
  c: HawkbitCourier,
): AreaHandlers<'hawkbit.config' | 'hawkbit.sync' | 'hawkbit.status' | 'hawkbit.offer'> {
  return {
    'hawkbit.config': async (input) =>
      Object.keys(input).length ? c.configure(input) : c.config(),
    'hawkbit.sync': async (input) => c.sync(input),
    'hawkbit.status': async ({ gateway }) => c.status(gateway),
    'hawkbit.offer': async ({ gateway, action_id }) => c.offer(gateway, action_id),
  };
}
