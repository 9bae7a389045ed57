import type { Gateway } from '../../../shared/gateways';
import type { Profile } from '../../../shared/profile';
import type { ConsoleFlashWay } from '../serial/console-flash-jobs';
import type { ConsoleGateways } from '../serial/console-gateway';
import type { ConsoleService } from '../serial/console-service';
import { listPorts } from '../serial/ports';
import type { AreaHandlers } from './handlers';

/** The serial console area as API operations. */
/** The API's way of a console flash, as the console service takes it. */
function flashWay(w: {
  via?: 'tftp' | 'ymodem';
  tftp_port?: number;
  compress?: boolean;
}): ConsoleFlashWay {
  return { via: w.via, tftpPort: w.tftp_port, compress: w.compress };
}

export function serialHandlers(
  consoles: ConsoleService,
  gateways: ConsoleGateways,
  lookup: (name: string) => { gateway: Gateway; profile: Profile },
): AreaHandlers<
  | 'serial.ports'
  | 'console.open'
  | 'console.write'
  | 'console.detect'
  | 'console.action'
  | 'console.flash'
  | 'console.debug'
  | 'console.close'
  | 'console.switch'
  | 'console.flashGateway'
  | 'console.recoveryBoot'
> {
  return {
    'serial.ports': async () => listPorts(),
    'console.open': async ({ path, baud, gateway }) => consoles.open(path, baud, gateway),
    'console.write': async ({ session_id, data }) => consoles.write(session_id, data),
    'console.detect': async ({ session_id }) => consoles.detect(session_id),
    'console.action': async ({ session_id, action, slot }) =>
      consoles.action(session_id, action, slot),
    'console.flash': async ({ session_id, image_id, slot, allow_unsigned, ...way }) =>
      consoles.flash(session_id, image_id, slot, allow_unsigned, flashWay(way)),
    'console.debug': async ({ session_id }) => consoles.debug(session_id),
    'console.close': async ({ session_id }) => consoles.close(session_id),
    'console.switch': async ({ gateway, slot }) => {
      const g = lookup(gateway);
      return gateways.switchSlot(g.gateway, g.profile, slot);
    },
    'console.flashGateway': async ({ gateway, image_id, slot, allow_unsigned, ...way }) => {
      const g = lookup(gateway);
      return gateways.flash(g.gateway, g.profile, image_id, slot, allow_unsigned, flashWay(way));
    },
    'console.recoveryBoot': async ({ gateway }) => {
      const g = lookup(gateway);
      return gateways.bootRecovery(g.gateway, g.profile);
    },
  };
}
