import { RiggerError } from '../../../shared/errors';
import { classify, type ConsoleState } from './console-state';
import type { SerialLink } from './link';

/** U-Boot's words for a command that did not do its job. */
const FAILED = /(^|\n)(Unknown command|## Error|Error:|.*\bFailed\b|.*\bERROR\b|Timeout writing)/;

export interface UBootResult {
  output: string;
  failed: boolean;
}

/**
 * Talk to U-Boot at its prompt: run a command and return its output (the echo and the next
 * prompt stripped) and whether U-Boot said it failed. Every wait is bounded.
 */
export class UBootDriver {
  constructor(
    readonly link: SerialLink,
    readonly prompt = '=> ',
  ) {}

  /**
   * Find out where the console is: listen; if nothing comes, send a newline and listen again.
   * During an autoboot countdown, stop it (a key) and wait for the prompt.
   */
  async detect(listenMs = 1500): Promise<ConsoleState> {
    let seen = await this.link.quiet(listenMs, listenMs * 4);
    if (!seen.trim()) {
      const from = this.link.mark();
      this.link.write('\r');
      seen = (await this.link.quiet(listenMs, listenMs * 4)) || this.link.since(from);
    }
    return classify(seen, this.prompt);
  }

  /** Stop the autoboot countdown (any key) and wait for the prompt. */
  async stopAutoboot(timeoutMs = 60_000): Promise<void> {
    const from = this.link.mark();
    const prompt = new RegExp(`${this.prompt.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
    const countdown = this.link.waitFor(
      /Hit any key to stop autoboot|Autoboot in/i,
      from,
      timeoutMs,
      'autoboot countdown',
    );
    const atPrompt = this.link.waitFor(prompt, from, timeoutMs, 'U-Boot prompt');
    const first = await Promise.race([
      countdown.then(() => 'countdown'),
      atPrompt.then(() => 'prompt'),
    ]).catch(async () => {
      // Neither came: maybe already sitting at the prompt; ask it.
      this.link.write('\r');
      await this.link.waitFor(prompt, this.link.mark(), 5000, 'U-Boot prompt');
      return 'prompt';
    });
    countdown.catch(() => undefined);
    atPrompt.catch(() => undefined);
    if (first === 'countdown') {
      const m = this.link.mark();
      this.link.write(' ');
      await this.link.waitFor(prompt, m, 10_000, 'U-Boot prompt after stopping autoboot');
    }
  }

  /** Run one command at the prompt. */
  async run(command: string, timeoutMs = 15_000): Promise<UBootResult> {
    const from = this.link.mark();
    this.link.write(`${command}\r`);
    const raw = await this.link.waitFor(
      new RegExp(`\\n${this.prompt.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ?$`),
      from,
      timeoutMs,
      `answer to "${command}"`,
    );
    const lines = raw.replace(/\r/g, '').split('\n');
    // The first line is our own command echoed; the last is the next prompt.
    const output = lines.slice(1, -1).join('\n');
    return { output, failed: FAILED.test(output) };
  }

  /** `printenv`, parsed: name → value. */
  async printenv(): Promise<Record<string, string>> {
    const r = await this.run('printenv');
    const env: Record<string, string> = {};
    for (const line of r.output.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0 && /^[\w.-]+$/.test(line.slice(0, eq)))
        env[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return env;
  }

  /** `setenv NAME VALUE` (an empty value deletes it). */
  async setenv(name: string, value: string): Promise<void> {
    if (!/^[\w.-]+$/.test(name)) {
      throw new RiggerError('VALIDATION_ERROR', `Not a U-Boot variable name: ${name}`);
    }
    const r = await this.run(
      value === '' ? `setenv ${name}` : `setenv ${name} '${value.replace(/'/g, '')}'`,
    );
    if (r.failed) throw this.failure(`setenv ${name}`, r.output);
  }

  /** `saveenv`: its `Failed` or `Error` is an error, never a success. */
  async saveenv(): Promise<void> {
    const r = await this.run('saveenv', 60_000);
    if (r.failed || !/done|OK/i.test(r.output)) {
      throw new RiggerError(
        'COMMAND_FAILED',
        `U-Boot could not save its environment: ${r.output.split('\n').filter(Boolean).slice(-2).join(' ')}`,
        { command: 'saveenv', output: r.output },
        [
          'Nothing was switched: the gateway boots as before',
          'The environment storage may be write-protected or failing; try again, then check the hardware',
        ],
      );
    }
  }

  /**
   * Start `loady` at `address`; resolves once it waits, with the bytes it sent after its
   * banner (its first 'C', for the YMODEM sender) and the mark to wait for its end from.
   */
  async loady(address: string): Promise<{ received: Buffer; from: number }> {
    const from = this.link.mark();
    this.link.write(`loady ${address}\r`);
    const upTo = await this.link.waitFor(
      /Ready for binary \(ymodem\) download[^\n]*?bps\.*/,
      from,
      15_000,
      'loady',
    );
    return { received: Buffer.from(this.link.since(from + upTo.length), 'latin1'), from };
  }

  /** `reset`: the board restarts; no prompt comes back. */
  reset(): void {
    this.link.write('reset\r');
  }

  private failure(command: string, output: string) {
    return new RiggerError('COMMAND_FAILED', `U-Boot refused "${command}": ${output.trim()}`, {
      command,
      output,
    });
  }
}
