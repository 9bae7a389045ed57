import type { Command } from 'commander';
import type { WithCore } from './context';
import { print } from './output';

/** `rigger ports`: the serial ports and USB adapters this laptop sees. */
export function registerSerialCommands(program: Command, withCore: WithCore): void {
  program
    .command('ports')
    .description('serial ports and USB-to-serial adapters (FTDI, CP210x, CH34x, PL2303, CDC-ACM)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('serial.ports', {});
        print(o.json, r, () =>
          r.ports.length
            ? r.ports
                .map(
                  (p) =>
                    `${p.path.padEnd(16)} ${(p.adapter ?? (p.kind === 'usb' ? 'USB serial' : p.kind)).padEnd(22)} ${p.vendor_id ? `${p.vendor_id}:${p.product_id}` : ''}${p.serial_number ? `  serial ${p.serial_number}` : ''}`,
                )
                .join('\n')
            : 'No serial ports found. Plug in the USB-to-serial adapter.',
        );
      }),
    );
}
