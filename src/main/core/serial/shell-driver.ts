import { randomBytes } from 'node:crypto';
import { RiggerError } from '../../../shared/errors';
import {
  CONSOLE_CAPABILITIES,
  type ExecOptions,
  type ExecResult,
  type GatewaySession,
} from '../gateways/session';
import type { SerialLink } from './link';

const PROMPT = /[#$] $/;
/** Base64 characters per line of standard input. */
const CHUNK = 512;

/**
 * The gateway's Linux at its serial console, used like SSH: log in with the gateway's
 * credentials, then run commands between unique markers and read each one's exit status.
 * Standard input travels base64-encoded (the console is a terminal, not a pipe); what a
 * command prints on stderr arrives with its stdout.
 */
export class ConsoleShell implements GatewaySession {
  readonly kind = 'console' as const;
  readonly capabilities = CONSOLE_CAPABILITIES;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly link: SerialLink) {}

  get target(): string {
    return this.link.where;
  }

  get closed(): boolean {
    return this.link.isClosed;
  }

  /** Reach a shell prompt: log in if a login prompt is showing (AUTH_FAILED when refused). */
  async login(user: string, password?: string, timeoutMs = 20_000): Promise<void> {
    // What is already on the console decides; only a silent one gets a newline.
    let first = await this.link.quiet(400, 3000);
    let from = this.link.mark();
    if (!/(login:|Password:|[#$]) $/i.test(first)) {
      this.link.write('\r');
      first = await this.link.waitFor(
        /(login:|Password:|[#$]) $/i,
        from,
        timeoutMs,
        'a login or shell prompt',
      );
    }
    if (/[#$] $/.test(first)) return this.quiet();
    if (/Password: $/i.test(first)) {
      // A half-finished login from before: start over.
      from = this.link.mark();
      this.link.write('\r');
      await this.link.waitFor(/login: $/i, from, timeoutMs, 'login prompt');
    }
    from = this.link.mark();
    this.link.write(`${user}\r`);
    const next = await this.link.waitFor(
      /(Password: |[#$] )$/i,
      from,
      timeoutMs,
      'password prompt or shell',
    );
    if (/Password: $/i.test(next)) {
      from = this.link.mark();
      this.link.write(`${password ?? ''}\r`);
      const after = await this.link.waitFor(
        /(login: |[#$] )$/i,
        from,
        timeoutMs,
        'shell prompt after login',
      );
      if (/login: $/i.test(after)) {
        throw new RiggerError('AUTH_FAILED', `The console login as ${user} was refused`, { user }, [
          "Check the gateway's user and password",
        ]);
      }
    }
    await this.quiet();
  }

  /** No echo, no pager, a plain prompt: the output is the commands' own. */
  private async quiet(): Promise<void> {
    const from = this.link.mark();
    this.link.write("stty -echo 2>/dev/null; export PAGER=cat; PS1='# '\r");
    await this.link.waitFor(PROMPT, from, 10_000, 'shell prompt');
  }

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const run = this.queue.then(() => this.execNow(command, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async execNow(command: string, options: ExecOptions): Promise<ExecResult> {
    const id = randomBytes(4).toString('hex');
    const begin = `RIGGER-BEGIN-${id}`;
    const end = `RIGGER-END-${id}`;
    // Standard input goes ahead in short lines (BusyBox's line editor takes about 1 KiB),
    // base64 into a file in /tmp, then into the command.
    const tmp = `/tmp/rigger-in.${id}`;
    let input = '</dev/null';
    if (options.stdin !== undefined) {
      const b64 = Buffer.from(options.stdin).toString('base64');
      await this.line(`: > ${tmp}`);
      for (let i = 0; i < b64.length; i += CHUNK) {
        await this.line(`printf '%s' '${b64.slice(i, i + CHUNK)}' >> ${tmp}`);
      }
      input = `< ${tmp}`;
    }
    const decode = options.stdin !== undefined ? `base64 -d ${tmp} | ` : '';
    // The markers are printed split in two, so the command line itself never matches them.
    const line = `printf '%s\\n' 'RIGGER-BEGIN-''${id}'; ${decode}{ ${command}\n} 2>&1 ${decode ? '' : input}; printf '%s:%s\\n' 'RIGGER-END-''${id}' "$?"; rm -f ${tmp}`;
    const from = this.link.mark();
    this.link.write(`${line}\r`);
    const text = (
      await this.link.waitFor(
        new RegExp(`${end}:(\\d+)\\r?\\n`),
        from,
        options.timeoutMs ?? 30_000,
        `the end of "${command.slice(0, 40)}"`,
      )
    ).replace(/\r/g, '');
    const startAt = text.indexOf(`${begin}\n`);
    const m = new RegExp(`${end}:(\\d+)\\n`).exec(text)!;
    const out = text.slice(startAt + begin.length + 1, m.index);
    return {
      code: Number(m[1]),
      signal: null,
      stdout: Buffer.from(out, 'latin1'),
      stderr: Buffer.alloc(0),
    };
  }

  /** One short command line, then its prompt. */
  private async line(text: string): Promise<void> {
    const from = this.link.mark();
    this.link.write(`${text}\r`);
    await this.link.waitFor(PROMPT, from, 10_000, 'shell prompt');
  }

  async close(): Promise<void> {
    await this.link.close();
  }
}
