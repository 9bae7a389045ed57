import type { Client, ClientChannel } from 'ssh2';
import { RiggerError } from '../../../shared/errors';
import type { ExecResult } from './session';

/** What a command channel needs to know about the connection it runs on. */
export interface ChannelHost {
  client: Client;
  /** `user@host:port`, for messages. */
  where: string;
  /** Has the connection died (then a close without exit status is a lost link)? */
  closed(): boolean;
  /** Why the connection died, when it said. */
  lostReason(): string | null;
}

/** One command running on its own channel. */
export interface OpenCommand {
  channel: ClientChannel;
  /** Settles when the channel closes: the exit status, or a lost link. */
  done: Promise<ExecResult>;
  /** The shell's pid the command announced (only with `tagPid`). */
  pid(): number | null;
}

export interface OpenOptions {
  /** Collect stdout into the result; off when the caller reads the channel as a stream. */
  collectStdout: boolean;
  /** Prefix the command so its shell names its pid first (a timeout can then kill its group). */
  tagPid: boolean;
}

/**
 * Start one command on a new exec channel: every way of running a command (buffered, stdin
 * streamed, stdout streamed) goes through here, so a dropped link reads the same in all of them.
 */
export function openCommand(
  host: ChannelHost,
  command: string,
  opts: OpenOptions,
): Promise<OpenCommand> {
  return new Promise((resolve, reject) => {
    if (host.closed()) {
      reject(lost(host.where, host.lostReason()));
      return;
    }
    host.client.exec(opts.tagPid ? withPid(command) : command, (err, channel: ClientChannel) => {
      if (err) {
        reject(lost(host.where, err.message));
        return;
      }
      const out: Buffer[] = [];
      const errOut = pidReader(opts.tagPid);
      let code: number | null = null;
      let signal: string | null = null;
      if (opts.collectStdout) channel.on('data', (d: Buffer) => out.push(d));
      channel.stderr.on('data', (d: Buffer) => errOut.push(d));
      channel.on('exit', (c: number | null, s?: string) => {
        code = c;
        signal = s ?? null;
      });
      const done = new Promise<ExecResult>((res, rej) => {
        channel.on('close', () => {
          // No exit status and a dead connection: the link dropped mid-command.
          if (code === null && signal === null && host.closed())
            rej(lost(host.where, host.lostReason()));
          else res({ code, signal, stdout: Buffer.concat(out), stderr: errOut.text() });
        });
      });
      resolve({ channel, done, pid: errOut.pid });
    });
  });
}

/** The error of a connection that went away under a command. */
export function lost(where: string, reason: string | null): RiggerError {
  return new RiggerError(
    'HOST_UNREACHABLE',
    `The connection to ${where} was lost${reason ? `: ${reason}` : ''}`,
    {
      target: where,
    },
    ['Check the network cable', 'Retry: Rigger reconnects'],
  );
}

const PID_MARK = '@@RIGGER-PID ';

/**
 * The command behind a first stderr line naming its shell's pid. sshd starts every command in
 * a new session, so that pid is also its process group, which a timeout kills whole.
 */
const withPid = (command: string) => `echo "${PID_MARK}$$" >&2; ${command}`;

/** Collects stderr, taking the pid line off its front (when tagged) so callers see the command's own. */
function pidReader(tagged: boolean) {
  let head: Buffer | null = tagged ? Buffer.alloc(0) : null;
  let pid: number | null = null;
  const rest: Buffer[] = [];
  return {
    push(d: Buffer) {
      if (head === null) return void rest.push(d);
      head = Buffer.concat([head, d]);
      const nl = head.indexOf(10);
      if (nl < 0 && head.length < 64) return;
      const line = head.subarray(0, nl < 0 ? head.length : nl).toString('latin1');
      if (nl >= 0 && line.startsWith(PID_MARK)) {
        pid = Number.parseInt(line.slice(PID_MARK.length), 10) || null;
        rest.push(head.subarray(nl + 1));
      } else rest.push(head);
      head = null;
    },
    pid: () => pid,
    text: () => Buffer.concat(head ? [...rest, head] : rest),
  };
}

/** Kill a timed-out command's process group over a fresh channel; settles within 3 s. */
export function killGroup(client: Client, pid: number | null): Promise<void> {
  if (!pid || pid <= 1) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, 3000);
    const finish = () => (clearTimeout(t), resolve());
    try {
      client.exec(`kill -9 -${pid} 2>/dev/null || kill -9 ${pid} 2>/dev/null`, (err, ch) => {
        if (err) return finish();
        ch.on('close', finish);
        ch.resume();
        ch.stderr.resume();
        ch.end();
      });
    } catch {
      finish();
    }
  });
}
