import type { Command } from 'commander';
import type { Core } from '../core/core';
import type { WithCore } from './context';
import { followJob } from './job-wait';
import { asBaud, asWhole, slotOption } from './options';
import { print } from './output';
import { passThrough } from './console-passthrough';

type ConsoleOpts = { baud: number; gateway?: string; json?: boolean };

/** Open the console, do one thing, close it (its capture stays on disk). */
async function withConsole<T>(
  core: Core,
  port: string,
  o: ConsoleOpts,
  fn: (id: string) => Promise<T>,
): Promise<T> {
  const s = await core.call('console.open', {
    path: port,
    baud: o.baud,
    ...(o.gateway ? { gateway: o.gateway } : {}),
  });
  try {
    return await fn(s.session_id);
  } finally {
    await core.call('console.close', { session_id: s.session_id });
  }
}

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
  const con = program
    .command('console')
    .description(
      'the serial console of a gateway whose network is down (U-Boot or Linux): ' +
        '`rigger console PORT` is a terminal on it (Ctrl-] leaves)',
    )
    .argument('[port]', 'serial port for an interactive terminal (e.g. /dev/ttyUSB0, COM3)')
    .option('--baud <n>', 'baud rate (8N1)', asBaud, 115200)
    // Options after a subcommand's name are the subcommand's: `console state PORT --baud N`.
    .enablePositionalOptions()
    .action((port: string | undefined, o: { baud: number }, cmd: Command) => {
      if (!port) {
        cmd.help({ error: true });
        return;
      }
      return withCore((core) => passThrough(core, port, o.baud));
    });
  const common = (c: Command) =>
    c
      .option('--baud <n>', 'baud rate (8N1)', asBaud, 115200)
      .option('--gateway <name>', 'the registered gateway on this console (its profile)')
      .option('--json', 'print JSON');
  common(con.command('state <port>').description('listen and say what the console shows')).action(
    (port: string, o: ConsoleOpts) =>
      withCore(async (core) => {
        const s = await core.call('console.open', { path: port, baud: o.baud });
        await core.call('console.close', { session_id: s.session_id });
        print(o.json, s, () => `${s.path}: ${s.state} (session kept in ${s.capture_path})`);
      }),
  );
  common(
    con.command('printenv <port>').description("stop autoboot and print U-Boot's environment"),
  ).action((port: string, o: ConsoleOpts) =>
    withCore(async (core) => {
      const r = await withConsole(core, port, o, async (id) => {
        await core.call('console.action', { session_id: id, action: 'stop_autoboot' });
        return core.call('console.action', { session_id: id, action: 'printenv' });
      });
      print(o.json, r.env ?? {}, () =>
        Object.entries(r.env ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join('\n'),
      );
    }),
  );
  common(
    con
      .command('switch <port>')
      .description("at U-Boot, boot SLOT from now on (the profile's scheme), save, reset")
      .requiredOption('--slot <slot>', 'A or B'),
  ).action((port: string, o: ConsoleOpts & { slot: string }) =>
    withCore(async (core) => {
      const slot = slotOption(o.slot);
      const r = await withConsole(core, port, o, async (id) => {
        await core.call('console.action', { session_id: id, action: 'stop_autoboot' });
        return core.call('console.action', { session_id: id, action: 'switch_slot', slot });
      });
      print(o.json, r, () => r.output);
    }),
  );
  common(
    con
      .command('flash <port>')
      .description(
        'at U-Boot, write a slot from the library: TFTP where the board has a network, else YMODEM',
      )
      .requiredOption('--image <id>', 'image id from the library')
      .requiredOption('--slot <slot>', 'A or B (not the one U-Boot boots next)')
      .option(
        '--via <way>',
        "tftp (U-Boot's network) or ymodem (the console); default: what the board offers",
      )
      .option(
        '--tftp-port <port>',
        "the laptop's TFTP port (default: 69 where Rigger may bind it, else 6969 told to U-Boot with tftpdstp)",
        asWhole('--tftp-port', 1, 65535),
      )
      .option('--no-compress', 'raw chunks even where U-Boot has gzwrite')
      .option('--allow-unsigned', 'write an unsigned image (audited)'),
  ).action(
    (
      port: string,
      o: ConsoleOpts & {
        image: string;
        slot: string;
        allowUnsigned?: boolean;
        via?: string;
        tftpPort?: number;
        compress: boolean;
      },
    ) =>
      withCore(async (core) => {
        const slot = slotOption(o.slot);
        await withConsole(core, port, o, async (id) => {
          await core.call('console.action', { session_id: id, action: 'stop_autoboot' });
          const { job_id } = await core.call('console.flash', {
            session_id: id,
            image_id: o.image,
            slot,
            allow_unsigned: !!o.allowUnsigned,
            ...(o.via ? { via: o.via } : {}),
            ...(o.tftpPort ? { tftp_port: o.tftpPort } : {}),
            ...(o.compress ? {} : { compress: false }),
          });
          await followJob(core, job_id, o.json, ['success'], 'Flashing over the console');
        });
      }),
  );
}
