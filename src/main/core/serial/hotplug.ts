import type { SerialPortInfo } from '../../../shared/serial';
import { loadUsb } from '../util/native';

/** What a USB bus can tell: something was plugged in or out (the `usb` package's events). */
export interface UsbEvents {
  on(event: 'attach' | 'detach', listener: () => void): unknown;
  off(event: 'attach' | 'detach', listener: () => void): unknown;
}

export interface PortWatch {
  stop(): void;
}

/** "USB serial adapter connected: FTDI FT232R on /dev/ttyUSB0" and its counterpart. */
export function describeChange(p: SerialPortInfo, added: boolean): string {
  const what = p.adapter ?? (p.kind === 'usb' ? 'USB serial adapter' : 'Serial port');
  return added
    ? `USB serial adapter connected: ${what} on ${p.path}`
    : `USB serial adapter disconnected: ${what} from ${p.path}`;
}

/**
 * Tell the user when serial adapters come and go: on the USB bus's attach/detach events when
 * the `usb` package can listen, and by listing the ports every `pollMs` otherwise (or as well:
 * a port appears a moment after its USB device). A failing list is skipped, never thrown.
 */
export function watchPorts(opts: {
  list: () => Promise<SerialPortInfo[]>;
  onChange: (port: SerialPortInfo, added: boolean, message: string) => void;
  usb?: UsbEvents | null;
  pollMs?: number;
}): PortWatch {
  let known: Map<string, SerialPortInfo> | null = null;
  let stopped = false;
  let busy = false;
  const scan = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const now = new Map((await opts.list()).map((p) => [p.path, p]));
      if (known) {
        for (const [path, p] of now)
          if (!known.has(path)) opts.onChange(p, true, describeChange(p, true));
        for (const [path, p] of known)
          if (!now.has(path)) opts.onChange(p, false, describeChange(p, false));
      }
      known = now;
    } catch {
      // The next scan tries again.
    } finally {
      busy = false;
    }
  };
  void scan();
  const timer = setInterval(() => void scan(), opts.pollMs ?? 2000);
  timer.unref?.();
  // The device node shows up shortly after the USB attach event.
  const soon = () => setTimeout(() => void scan(), 400).unref?.();
  opts.usb?.on('attach', soon);
  opts.usb?.on('detach', soon);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      opts.usb?.off('attach', soon);
      opts.usb?.off('detach', soon);
    },
  };
}

/** The `usb` package's bus events where its native part loads; null where it cannot. */
export async function usbEvents(): Promise<UsbEvents | null> {
  try {
    const { usb } = loadUsb();
    return usb as unknown as UsbEvents;
  } catch {
    return null;
  }
}
