import type { Command } from 'commander';
import type { WithCore } from './context';
import { formatStatus } from './format-status';
import { connectsToGateway } from './host-key';
import { print } from './output';

/** `rigger status NAME`: the gateway's state, in the seed's shape with --json. */
export function registerStatusCommand(program: Command, withCore: WithCore): void {
  connectsToGateway(program.command('status <name>'))
    .description("read a gateway's slots, boot state, health and system figures")
    .option('--json', "print the seed's status shape")
    .action((name: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const status = await core.call('gateways.status', { name });
        print(o.json, status, () => formatStatus(name, status));
      }),
    );
}
