import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, TSX } from '../../helpers/cli';
import { startQemuUboot, type QemuUboot } from '../../helpers/qemu-uboot';

const data = mkdtempSync(join(tmpdir(), 'rigger-cli-passthrough-'));
/** Every process a test started: one that failed midway must not keep the port locked. */
const children: ChildProcess[] = [];

/** The real CLI with stdin a pipe the test types into. */
function start(...args: string[]) {
  const p = spawn(TSX, [CLI, '--data-dir', data, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcessWithoutNullStreams;
  children.push(p);
  const r = { p, out: '', err: '' };
  p.stdout.on('data', (d: Buffer) => (r.out += d.toString('latin1')));
  p.stderr.on('data', (d: Buffer) => (r.err += d.toString('latin1')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    p.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { r, exited };
}

/** Wait until `get()` matches `pattern` (bounded; the message says what was seen). */
async function until(get: () => string, pattern: RegExp, what: string, ms = 60_000) {
  const end = Date.now() + ms;
  while (!pattern.test(get())) {
    if (Date.now() > end) throw new Error(`no ${what}; got: ${get().slice(-600)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `rigger console PORT`: a terminal on U-Boot in QEMU, like cu or picocom. */
describe('rigger console PORT: interactive pass-through (QEMU U-Boot)', () => {
  let qemu: QemuUboot;
  beforeAll(async () => {
    qemu = await startQemuUboot({ boot_slot: 'B', bootlimit: '3' });
  }, 60_000);
  afterAll(async () => qemu?.stop());
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        const gone = new Promise((r) => c.once('close', r));
        c.kill('SIGKILL');
        await gone;
      }
    }
  });

  it('types printenv into U-Boot, prints the environment, and leaves on Ctrl-]', async () => {
    const { r, exited } = start('console', qemu.pty, '--baud', '115200');
    await until(() => r.err, /Ctrl-\] leaves/, 'connected line');
    // A key stops the countdown if U-Boot is still in it; at the prompt it is an empty line.
    const mark = r.out.length;
    r.p.stdin.write('\r');
    await until(() => r.out.slice(mark), /=> $/, 'U-Boot prompt');
    r.p.stdin.write('printenv\r');
    await until(() => r.out, /Environment size: \d+/, 'the environment');
    expect(r.out).toMatch(/\nboot_slot=B\r?\n/);
    expect(r.out).toMatch(/\nbootlimit=3\r?\n/);
    r.p.stdin.write(Buffer.from([0x1d]));
    const { code } = await exited;
    expect(code, r.err).toBe(0);
    const m = /Left the console on (\S+) \(Ctrl-\]\)\. The session is captured in (\S+)/.exec(
      r.err,
    );
    expect(m, r.err).not.toBeNull();
    expect(m![1]).toBe(qemu.pty);
    // The capture on disk has what the terminal showed.
    expect(readFileSync(m![2]!, 'latin1')).toMatch(/boot_slot=B/);
  }, 120_000);

  it('piped input: forwarded, and its end leaves cleanly once the answer arrived', async () => {
    const { r, exited } = start('console', qemu.pty);
    r.p.stdin.end('echo rigger-was-piped-here\r');
    const { code } = await exited;
    expect(code, r.err).toBe(0);
    expect(r.out).toMatch(/\nrigger-was-piped-here\r?\n/);
    expect(r.err).toMatch(/Left the console on .* \(end of input\)\. The session is captured in/);
  }, 90_000);

  it('SIGTERM: leaves the console, says where the capture is, and dies of the signal', async () => {
    const { r, exited } = start('console', qemu.pty);
    await until(() => r.err, /Ctrl-\] leaves/, 'connected line');
    r.p.kill('SIGTERM');
    const { code, signal } = await exited;
    expect(signal ?? code).not.toBe(0);
    expect(r.err).toMatch(/Left the console on .* \(SIGTERM\)\. The session is captured in/);
  }, 90_000);

  it('on a terminal: raw mode (Ctrl-] needs no Enter), and the terminal is given back', async () => {
    // `script` gives the CLI a real pty as stdin; `stty -a` after it shows the mode restored.
    const cmd = `${TSX} ${CLI} --data-dir ${data} console ${qemu.pty}; echo "rc=$?"; stty -a`;
    const p = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(p);
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    const closed = new Promise<number | null>((resolve) => p.on('close', resolve));
    await until(() => out, /Ctrl-\] leaves/, 'connected line');
    const mark = out.length;
    p.stdin.write('echo on-a-tty\r');
    await until(() => out.slice(mark), /\non-a-tty\r*\n/, 'the echo');
    // In cooked mode the line discipline would hold this byte until a newline.
    p.stdin.write(Buffer.from([0x1d]));
    await until(() => out, /rc=0[\s\S]*speed/, 'exit status and stty');
    p.stdin.end();
    await closed;
    expect(out).toMatch(/Left the console on .* \(Ctrl-\]\)/);
    // Given back in canonical mode with echo, as the shell had it.
    expect(out).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(out).toMatch(/(^|\s)echo(\s|$)/m);
  }, 120_000);

  it('the subcommands still work, with their options after the port', async () => {
    const { r, exited } = start('console', 'state', qemu.pty, '--baud', '115200', '--json');
    r.p.stdin.end();
    const { code } = await exited;
    expect(code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ path: qemu.pty, baud: 115200, state: 'uboot' });
  }, 60_000);

  it('a port that does not exist: a clear error, a non-zero exit', async () => {
    const { r, exited } = start('console', '/dev/ttyUSB99');
    r.p.stdin.end();
    const { code } = await exited;
    expect(code).not.toBe(0);
    expect(r.err).toMatch(/Cannot open serial port \/dev\/ttyUSB99/);
  }, 60_000);

  // Last: it takes the board away.
  it('the port going away (adapter pulled) ends it with a clear error', async () => {
    const { r, exited } = start('console', qemu.pty);
    await until(() => r.err, /Ctrl-\] leaves/, 'connected line');
    await qemu.stop();
    const { code } = await exited;
    expect(code).toBe(1);
    expect(r.err).toMatch(/HOST_UNREACHABLE[\s\S]*closed[\s\S]*The session is captured in/);
  }, 60_000);
});
