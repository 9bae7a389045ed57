import type { Command } from 'commander';
import { CONSTRAINT_NAMES, type ConstraintName } from '../../shared/safety';
import { RiggerError } from '../../shared/errors';
import { ask } from './ask';
import type { WithCore } from './context';
import { jsonOf } from './updates';
import { connectsToGateway } from './host-key';
import { asChoice, asWhole } from './options';
import { print } from './output';

/** The PIN from RIGGER_PIN, or asked for on the terminal. */
export async function readPin(prompt: string): Promise<string> {
  if (process.env.RIGGER_PIN) return process.env.RIGGER_PIN;
  if (!process.stdin.isTTY) {
    throw new RiggerError('OTA_010', 'A PIN is needed', {}, [
      'Set RIGGER_PIN or run on a terminal',
    ]);
  }
  return ask(prompt);
}

/** `rigger safety …`: safety signals and PIN-guarded overrides. */
export function registerSafetyCommands(program: Command, withCore: WithCore): void {
  const safety = connectsToGateway(program.command('safety <gateway>'))
    .description("the gateway's safety signals and whether an update may run")
    .option('--json', 'print JSON')
    .action((gateway: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const s = await core.call('safety.status', { gateway });
        print(o.json, s, () =>
          [
            `Update allowed: ${s.update_allowed ? 'yes' : 'NO'} (score ${s.safety_score})`,
            ...Object.entries(s.constraints).map(
              ([k, c]) =>
                `  ${k.padEnd(22)} ${String(c.status ?? c.available ?? c.level ?? '').padEnd(10)} ${c.blocking ? 'BLOCKING' : c.overridden ? 'overridden' : 'ok'}`,
            ),
            ...s.recommendations.map((r) => `- ${r}`),
          ].join('\n'),
        );
      }),
    );
  connectsToGateway(safety.command('override <gateway>'))
    .description('override safety constraints for a while (PIN; audited)')
    .requiredOption(
      '--constraints <list>',
      `comma-separated: ${CONSTRAINT_NAMES.join(',')}`,
      (list: string) => list.split(',').map(asChoice('--constraints', CONSTRAINT_NAMES)),
    )
    .requiredOption('--duration <s>', 'seconds', asWhole('--duration', 1, 86_400))
    .requiredOption('--reason <r>', 'why (recorded)')
    .option('--json', 'print JSON')
    .action(
      (
        gateway: string,
        o: { constraints: ConstraintName[]; duration: number; reason: string },
        cmd: Command,
      ) =>
        withCore(async (core) => {
          const { constraints, duration } = o;
          const pin = await readPin('Override PIN: ');
          const r = await core.call('safety.override', {
            gateway,
            pin,
            reason: o.reason,
            constraints,
            duration,
            acknowledge_risks: true,
            operator: process.env.USER ?? 'cli',
          });
          print(
            jsonOf(cmd),
            r,
            () => `${r.warning} Until ${r.expires_at}: ${r.constraints_overridden.join(', ')}`,
          );
        }),
    );
  safety
    .command('pin')
    .description('set the override PIN (the current one is asked when replacing it)')
    .option(
      '--reset',
      "forget the PIN without the old one (only where Rigger's data folder holds it; audited)",
    )
    .action((o: { reset?: boolean }) =>
      withCore(async (core) => {
        if (o.reset) {
          const r = await core.call('safety.resetPin', { operator: process.env.USER ?? 'cli' });
          process.stdout.write(`${r.message}\n`);
          return;
        }
        const pin = await readPin('New PIN: ');
        const current = process.env.RIGGER_CURRENT_PIN;
        await core.call('safety.setPin', { pin, current_pin: current });
        process.stdout.write('PIN set.\n');
      }),
    );
}
