import type { Command } from 'commander';
import { formatBytes } from '../../shared/format/bytes';
import type { UpdatePlan } from '../../shared/update-plan';
import type { Core } from '../core/core';
import type { WithCore } from './context';
import { connectsToGateway } from './host-key';
import { asSlot } from './options';
import { print } from './output';

const PATH_NAMES: Record<UpdatePlan['path'], string> = {
  full_raw: 'full write, raw',
  full_gzip: 'full write, gzip on the wire',
  delta: 'delta',
};

/** The plan as a technician reads it before the write. */
export function formatPlan(p: UpdatePlan): string {
  return [
    `${p.gateway}: ${p.version} into slot ${p.target_partition} (booted: ${p.booted_partition})`,
    `Path:   ${PATH_NAMES[p.path]}: ${p.summary}`,
    `Why:    ${p.reason}`,
    ...(p.fallback ? [`No delta: ${p.fallback}`] : []),
    `Slot ${p.basis.target.slot}: ${p.basis.target.detail}`,
    `Slot ${p.basis.booted.slot}: ${p.basis.booted.detail}`,
    `On the wire: ${formatBytes(p.bytes_on_wire)} of ${formatBytes(p.bytes_total)}`,
  ].join('\n');
}

/**
 * Print the way a flash job chose, once it has planned and before a byte is written (the
 * job's `wire_chosen` event). Returns the unsubscribe.
 */
export function showChosenWay(core: Core, gateway: string): () => void {
  return core.events.on('system_event', (e) => {
    if (e.event === 'wire_chosen' && e.message.startsWith(`${gateway}: `))
      process.stderr.write(`Plan: ${e.message.slice(gateway.length + 2)}\n`);
  });
}

/** `rigger updates plan GATEWAY --image X`: which path the write would take, and why. */
export function registerPlanCommand(updates: Command, withCore: WithCore): void {
  connectsToGateway(updates.command('plan <gateway>'))
    .description('which path writing an image would take (full raw, full gzip, delta) and why')
    .requiredOption('--image <idOrVersion>', 'image id or version from the library')
    .option('--slot <slot>', 'target slot (must not be the booted one)', asSlot)
    .option('--json', 'print JSON')
    .action((gateway: string, o: { image: string; slot?: 'A' | 'B'; json?: boolean }) =>
      withCore(async (core) => {
        const plan = await core.call('updates.plan', {
          gateway,
          update_id: o.image,
          ...(o.slot ? { target_partition: o.slot } : {}),
        });
        print(o.json, plan, () => formatPlan(plan));
      }),
    );
}
