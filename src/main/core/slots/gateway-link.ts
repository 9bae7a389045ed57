import type { GatewayService } from '../gateways/service';
import { streaming } from '../gateways/session';
import type { SlotLink } from './contract';

/** The registered gateway as the writer reaches it: its cached session, refused unless it streams. */
export function gatewayLink(
  gateways: Pick<GatewayService, 'session' | 'forget'>,
  gateway: string,
): SlotLink {
  return {
    async open() {
      const { profile, session } = await gateways.session(gateway);
      return { profile, session: streaming(session, gateway) };
    },
    drop: () => gateways.forget(gateway),
  };
}
