import { listPorts } from '../serial/ports';
import type { AreaHandlers } from './handlers';

/** The serial console area as API operations. */
export function serialHandlers(): AreaHandlers<'serial.ports'> {
  return {
    'serial.ports': async () => listPorts(),
  };
}
