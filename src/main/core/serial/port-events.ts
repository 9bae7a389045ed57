import type { CoreEvents } from '../events';
import { nowIso } from '../util/time';
import { usbEvents, watchPorts, type PortWatch } from './hotplug';
import { listPorts } from './ports';

/** Adapters plugged in and out become system events the UI shows ("Open console on …?"). */
export async function startPortWatch(events: CoreEvents): Promise<PortWatch> {
  return watchPorts({
    list: async () => (await listPorts()).ports,
    usb: await usbEvents(),
    onChange: (port, added, message) =>
      events.emit({
        type: 'system_event',
        event: added ? 'serial_adapter_connected' : 'serial_adapter_disconnected',
        message,
        timestamp: nowIso(),
        port: port.path,
      }),
  });
}
