import { afterEach, describe, expect, it } from 'vitest';
import { assembleStatus } from '../../../src/main/core/gateways/status';
import { gatherFacts } from '../../../src/main/core/gateways/facts';
import { openSerial, type SerialLink } from '../../../src/main/core/serial/link';
import { ConsoleShell } from '../../../src/main/core/serial/shell-driver';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { startLoginPty, type LoginPty } from '../../helpers/login-pty';
import { readFileSync } from 'node:fs';
import { profileSchema } from '../../../src/shared/profile';

const stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function console_(): Promise<{ pty: LoginPty; link: SerialLink; shell: ConsoleShell }> {
  const pty = await startLoginPty('root', 'crane');
  stops.push(() => pty.stop());
  const link = await openSerial(pty.path);
  stops.push(() => link.close());
  return { pty, link, shell: new ConsoleShell(link) };
}

describe('the Linux shell at the serial console (a real shell behind a login prompt on a pty)', () => {
  it('refuses a wrong password with AUTH_FAILED', async () => {
    const { shell } = await console_();
    await expect(shell.login('root', 'wrong')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
  });

  it('logs in, runs commands and reads their exit status; stdin arrives intact', async () => {
    const { shell } = await console_();
    await shell.login('root', 'crane');
    const r = await shell.exec('echo hello; echo to-stderr >&2');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('hello\nto-stderr\n');
    expect((await shell.exec("sh -c 'exit 7'")).code).toBe(7);
    const big = 'x'.repeat(5000) + '\nline two\n';
    const cat = await shell.exec('cat', { stdin: big });
    expect(cat.stdout.toString()).toBe(big);
  }, 60_000);

  it("reads the gateway's status over the console as over SSH", async () => {
    const sim: GatewaySim = await startGatewaySim({ scheme: 'rauc', booted: 'B' });
    stops.push(() => sim.stop());
    const { shell } = await console_();
    await shell.login('root', 'crane');
    const profile = profileSchema.parse(JSON.parse(readFileSync(sim.profilePath, 'utf8')));
    const status = assembleStatus(await gatherFacts(shell, profile), profile, {
      type: 'console',
      target: shell.target,
    });
    expect(status.boot?.booted_slot).toBe('B');
    expect(status.partitions.active.version).toBe('v5.0.3');
    expect(status.gateway.model).toBe('Univa-GW-Pro');
  }, 60_000);
});
