import { RiggerError } from '../../shared/errors';
import type { Core } from '../core/core';

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
export async function passThrough(core: Core, port: string, baud: number): Promise<void> {
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
