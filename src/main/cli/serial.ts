import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { Core } from '../core/core';
import type { WithCore } from './context';
import { followJob } from './job-wait';
import { print } from './output';

type ConsoleOpts = { baud: string; gateway?: string; json?: boolean };

/** Open the console, do one thing, close it (its capture stays on disk). */
async function withConsole<T>(
  core: Core,
  port: string,
  o: ConsoleOpts,
  fn: (id: string) => Promise<T>,
): Promise<T> {
  const s = await core.call('console.open', {
    path: port,
    baud: Number(o.baud),
    ...(o.gateway ? { gateway: o.gateway } : {}),
  });
  try {
    return await fn(s.session_id);
  } finally {
    await core.call('console.close', { session_id: s.session_id });
  }
}

/** Ctrl-]: leaves the pass-through, as in `cu`, `telnet` and `picocom`. */
const LEAVE = 0x1d;
/** `console.write` takes at most this many bytes at a time. */
const WRITE_MAX = 4096;

/** Why the pass-through ended. */
type Ending =
  | { why: 'key' }
  | { why: 'eof' }
  | { why: 'signal'; signal: NodeJS.Signals }
  | { why: 'error'; error: unknown };

/**
 * `rigger console PORT`: a plain terminal on the port through the core's console session
 * (so the session is captured to a file like the Console page's). Stdin goes to the port
 * (raw, byte for byte, when it is a terminal); the port's bytes go to stdout. Ctrl-] leaves.
 * Piped stdin works too: at its end the console is left once the port has been quiet a moment
 * (so `printf 'printenv\r' | rigger console PORT` prints the answer).
 */
async function passThrough(core: Core, port: string, baud: number): Promise<void> {
  const stdin = process.stdin;
  const early: { session_id: string; data: string }[] = [];
  let sessionId: string | null = null;
  let lastData = Date.now();
  const offData = core.events.on('console_data', (e) => {
    lastData = Date.now();
    if (sessionId === null) early.push(e);
    else if (e.session_id === sessionId) process.stdout.write(Buffer.from(e.data, 'latin1'));
  });
  let session: Awaited<ReturnType<typeof core.call<'console.open'>>>;
  try {
    session = await core.call('console.open', { path: port, baud });
  } catch (err) {
    offData();
    throw err;
  }
  sessionId = session.session_id;
  for (const e of early.splice(0)) {
    if (e.session_id === sessionId) process.stdout.write(Buffer.from(e.data, 'latin1'));
  }

  const raw = !!stdin.isTTY;
  const restore = () => {
    if (raw && stdin.isTTY) stdin.setRawMode(false);
  };
  // Whatever happens from here on, the terminal is given back as it was.
  process.once('exit', restore);

  let finish!: (e: Ending) => void;
  const ended = new Promise<Ending>((r) => (finish = r));
  let leaving = false;
  const end = (e: Ending) => {
    if (leaving) return;
    leaving = true;
    finish(e);
  };

  // Writes go out in order; the first failure (port gone, busy) ends the session.
  let queue: Promise<unknown> = Promise.resolve();
  const send = (bytes: Buffer) => {
    for (let i = 0; i === 0 || i < bytes.length; i += WRITE_MAX) {
      const data = bytes.subarray(i, i + WRITE_MAX).toString('latin1');
      queue = queue
        .then(() => core.call('console.write', { session_id: session.session_id, data }))
        .catch((error: unknown) => end({ why: 'error', error }));
    }
  };
  const onInput = (chunk: Buffer | string) => {
    if (leaving) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    const at = bytes.indexOf(LEAVE);
    send(at < 0 ? bytes : bytes.subarray(0, at));
    if (at >= 0) end({ why: 'key' });
  };
  let lingering: NodeJS.Timeout | undefined;
  const onEnd = () => {
    // Piped input is over: let the answer to what was sent arrive (quiet 1 s, at most 15 s).
    const until = Date.now() + 15_000;
    lingering = setInterval(() => {
      if (Date.now() - lastData >= 1000 || Date.now() > until) end({ why: 'eof' });
    }, 100);
  };
  const onSignal = (signal: NodeJS.Signals) => end({ why: 'signal', signal });
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  // An unplugged adapter says nothing: an empty write finds out (it throws once the port is gone).
  const heartbeat = setInterval(() => {
    if (!leaving) send(Buffer.alloc(0));
  }, 1000);

  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  stdin.on('data', onInput);
  stdin.once('end', onEnd);
  if (raw) stdin.setRawMode(true);
  stdin.resume();
  // Said once typing goes through: the terminal is raw by now.
  process.stderr.write(
    `Connected to ${session.path} at ${session.baud} baud (${session.state}). Ctrl-] leaves.\r\n`,
  );

  const ending = await ended;

  clearInterval(heartbeat);
  if (lingering) clearInterval(lingering);
  stdin.off('data', onInput);
  stdin.off('end', onEnd);
  restore();
  stdin.pause();
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigterm);
  await queue;
  offData();
  await core.call('console.close', { session_id: session.session_id }).catch(() => undefined);

  const where = `The session is captured in ${session.capture_path}`;
  if (ending.why === 'error') {
    process.stderr.write('\r\n');
    const e = ending.error;
    if (e instanceof RiggerError) {
      throw new RiggerError(
        e.code,
        e.message,
        { ...e.details, capture_path: session.capture_path },
        [...e.suggestedActions, where],
      );
    }
    throw e;
  }
  const how =
    ending.why === 'key' ? 'Ctrl-]' : ending.why === 'eof' ? 'end of input' : ending.signal;
  process.stderr.write(`\r\nLeft the console on ${session.path} (${how}). ${where}\n`);
  if (ending.why === 'signal') {
    // Die of the signal, as a terminal program does, once the core is closed.
    const signal = ending.signal;
    process.once('exit', () => process.kill(process.pid, signal));
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
    .option('--baud <n>', 'baud rate (8N1)', '115200')
    // Options after a subcommand's name are the subcommand's: `console state PORT --baud N`.
    .enablePositionalOptions()
    .action((port: string | undefined, o: { baud: string }, cmd: Command) => {
      if (!port) {
        cmd.help({ error: true });
        return;
      }
      const baud = Number(o.baud);
      return withCore(async (core) => {
        if (!Number.isInteger(baud) || baud <= 0) {
          throw new RiggerError('VALIDATION_ERROR', `Not a baud rate: ${o.baud}`, {}, [
            'Use 115200 (usual), 57600 or 9600',
          ]);
        }
        await passThrough(core, port, baud);
      });
    });
  const common = (c: Command) =>
    c
      .option('--baud <n>', 'baud rate (8N1)', '115200')
      .option('--gateway <name>', 'the registered gateway on this console (its profile)')
      .option('--json', 'print JSON');
  common(con.command('state <port>').description('listen and say what the console shows')).action(
    (port: string, o: ConsoleOpts) =>
      withCore(async (core) => {
        const s = await core.call('console.open', { path: port, baud: Number(o.baud) });
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
      const slot = o.slot.toUpperCase() === 'B' ? 'B' : 'A';
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
      .description('at U-Boot, write a slot from the library over the console (slow: YMODEM)')
      .requiredOption('--image <id>', 'image id from the library')
      .requiredOption('--slot <slot>', 'A or B (not the one U-Boot boots next)')
      .option('--allow-unsigned', 'write an unsigned image (audited)'),
  ).action(
    (port: string, o: ConsoleOpts & { image: string; slot: string; allowUnsigned?: boolean }) =>
      withCore(async (core) => {
        await withConsole(core, port, o, async (id) => {
          await core.call('console.action', { session_id: id, action: 'stop_autoboot' });
          const { job_id } = await core.call('console.flash', {
            session_id: id,
            image_id: o.image,
            slot: o.slot.toUpperCase() === 'B' ? 'B' : 'A',
            allow_unsigned: !!o.allowUnsigned,
          });
          await followJob(core, job_id, o.json, ['success'], 'Flashing over the console');
        });
      }),
  );
}
