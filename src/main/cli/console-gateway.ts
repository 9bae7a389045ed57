import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { Core } from '../core/core';
import type { WithCore } from './context';
import { slotOption } from './options';
import { print } from './output';

/** A gateway registered on a serial port, or a clear error naming the SSH way. */
async function serialGateway(core: Core, name: string, sshWay: string) {
  const g = await core.call('gateways.get', { name });
  if (g.connection.type !== 'serial') {
    throw new RiggerError(
      'VALIDATION_ERROR',
      `${name} is reached over SSH: this command is for a gateway on a serial console`,
      { gateway: name },
      [sshWay],
    );
  }
  return g;
}

/** `rigger switch|boot-recovery NAME`: boot decisions for a gateway on its serial console. */
export function registerConsoleGatewayCommands(program: Command, withCore: WithCore): void {
  program
    .command('switch <gateway>')
    .description(
      'serial console: boot SLOT from now on (at U-Boot: setenv, saveenv, reset; at Linux: fw_setenv, reboot)',
    )
    .requiredOption('--slot <slot>', 'A or B')
    .option('--json', 'print JSON')
    .action((name: string, o: { slot: string; json?: boolean }) =>
      withCore(async (core) => {
        const slot = slotOption(o.slot);
        await serialGateway(
          core,
          name,
          `Over SSH, use: rigger rollback ${name} --reason "…" (the slot's image is proven first)`,
        );
        const r = await core.call('console.switch', { gateway: name, slot });
        print(o.json, r, () => r.message);
      }),
    );
  program
    .command('boot-recovery <gateway>')
    .description("serial console: at U-Boot, boot the recovery system (the profile's command)")
    .option('--json', 'print JSON')
    .action((name: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        await serialGateway(
          core,
          name,
          `Connect its serial console and register it there: rigger gateway remove ${name}, then rigger gateway add ${name} --serial PORT --profile PROFILE`,
        );
        const r = await core.call('console.recoveryBoot', { gateway: name });
        print(o.json, r, () => r.message);
      }),
    );
}
