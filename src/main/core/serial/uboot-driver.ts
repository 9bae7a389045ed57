import { RiggerError } from '../../../shared/errors';
import { escapeRegExp } from '../util/regex';
import { classify, type ConsoleState } from './console-state';
import type { SerialLink } from './link';

/** U-Boot's words for a command that did not do its job. */
const FAILED = /(^|\n)(Unknown command|## Error|Error:|.*\bFailed\b|.*\bERROR\b|Timeout writing)/;

/**
 * U-Boot starting again: its banner (which it prints after a blank line; the `version`
 * command prints the same text without one), an SPL/TPL banner, or `reset`'s "resetting ...".
 * Power glitches and watchdogs may put junk bytes (NUL, 0xFF) before it.
 */
export const UBOOT_RESTARTED =
  /\n[\r\0\xff]*\n[\r\0\xff]*U-Boot (?:SPL |TPL )?20\d\d\.\d\d|\n[\r\0\xff]*U-Boot (?:SPL|TPL) 20\d\d|\n[\r\0\xff]*resetting \.\.\./;

/** Whether `text` (console output) shows U-Boot starting again. */
export function showsRestart(text: string): boolean {
  return UBOOT_RESTARTED.test(text);
}

export interface UBootResult {
  output: string;
  failed: boolean;
}

/**
 * Talk to U-Boot at its prompt: run a command and return its output (the echo and the next
 * prompt stripped) and whether U-Boot said it failed. Every wait is bounded.
 */
export class UBootDriver {
  /** The reset guard `loady` leaves armed while its transfer runs (see `loady`). */
  private transferGuard: (() => void) | null = null;

  constructor(
    readonly link: SerialLink,
    readonly prompt = '=> ',
  ) {}

  /** A previous command's guard is over once the driver is asked for something new. */
  private endTransferGuard(): void {
    this.transferGuard?.();
    this.transferGuard = null;
  }

  /** Fail `command`'s waits at once if U-Boot starts again before its prompt comes back. */
  private guardReset(command: string, from: number, until?: RegExp): () => void {
    return this.link.guard(UBOOT_RESTARTED, from, (seen) => this.restarted(command, seen), until);
  }

  /**
   * Find out where the console is: listen; if nothing comes, send a newline and listen again.
   * During an autoboot countdown, stop it (a key) and wait for the prompt.
   */
  async detect(listenMs = 1500): Promise<ConsoleState> {
    this.endTransferGuard();
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
    this.endTransferGuard();
    const from = this.link.mark();
    const prompt = new RegExp(`${escapeRegExp(this.prompt.trim())}\\s*$`);
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

  /**
   * Run one command at the prompt. If the board restarts before the prompt comes back (power
   * glitch, watchdog), this fails at once: the command's effect is unknown.
   */
  async run(command: string, timeoutMs = 15_000): Promise<UBootResult> {
    this.endTransferGuard();
    const from = this.link.mark();
    const unguard = this.guardReset(command, from);
    let raw: string;
    // The answer is what follows the command's own echo: a prompt that comes before the echo
    // (a stray key after a transfer) is not taken for the end of the command.
    const answer = new RegExp(
      `${escapeRegExp(command)}[^\\n]*\\n(?:[\\s\\S]*\\n)?${escapeRegExp(this.prompt.trim())} ?$`,
    );
    try {
      this.link.write(`${command}\r`);
      raw = await this.link.waitFor(answer, from, timeoutMs, `answer to "${command}"`);
    } finally {
      unguard();
    }
    const lines = raw.slice(raw.search(answer)).replace(/\r/g, '').split('\n');
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
   * Until U-Boot's prompt comes back, a restart of the board fails the transfer: the next
   * write to the link (the YMODEM sender's) or wait on it throws.
   */
  async loady(address: string): Promise<{ received: Buffer; from: number }> {
    this.endTransferGuard();
    const command = `loady ${address}`;
    const from = this.link.mark();
    const unguard = this.guardReset(
      command,
      from,
      new RegExp(`\\n${escapeRegExp(this.prompt.trim())}`),
    );
    try {
      this.link.write(`${command}\r`);
      const upTo = await this.link.waitFor(
        /Ready for binary \(ymodem\) download[^\n]*?bps\.*/,
        from,
        15_000,
        'loady',
      );
      this.transferGuard = unguard;
      return { received: Buffer.from(this.link.since(from + upTo.length), 'latin1'), from };
    } catch (err) {
      unguard();
      throw err;
    }
  }

  /** `reset`: the board restarts; no prompt comes back. */
  reset(): void {
    this.endTransferGuard();
    this.link.write('reset\r');
  }

  /** The board started again before `command`'s prompt came back. */
  private restarted(command: string, seen: string): RiggerError {
    const verb = command.trim().split(/\s+/)[0] ?? '';
    const actions = [
      'Detect the console state again: the gateway is booting (stop autoboot to get the prompt back)',
    ];
    if (verb === 'saveenv') {
      actions.push('Check with printenv whether the environment was saved before the reset');
    } else if (verb === 'setenv' || verb === 'env') {
      actions.push('Unsaved variables are lost on a reset: check with printenv and set them again');
    } else if (verb === 'loady' || verb === 'loadx' || verb === 'loadb') {
      actions.push('Load the file again: the transfer did not finish');
    } else if (/write|erase|program/.test(command)) {
      actions.push('Write it again and read it back: the storage may hold a partial write');
    } else {
      actions.push(`Run "${command}" again once the prompt is back, if it is still needed`);
    }
    actions.push('If it keeps restarting, check the power supply and the watchdog');
    return new RiggerError(
      'COMMAND_FAILED',
      `The gateway restarted during "${command}" (U-Boot started again before the command finished): its effect is unknown`,
      { command, reason: 'gateway_restarted', output: seen.slice(-800) },
      actions,
    );
  }

  private failure(command: string, output: string) {
    return new RiggerError('COMMAND_FAILED', `U-Boot refused "${command}": ${output.trim()}`, {
      command,
      output,
    });
  }
}
