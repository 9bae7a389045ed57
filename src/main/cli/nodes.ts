import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { WithCore } from './context';
import { print } from './output';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ENDED = new Set(['success', 'failed', 'rejected']);

/** `rigger nodes list|check|push|push-all|status|import`: the nodes behind gateways (section 7). */
export function registerNodeCommands(program: Command, withCore: WithCore): void {
  const nodes = program.command('nodes').description('the microcontroller nodes behind gateways');
  nodes
    .command('list [gateway]')
    .description("the nodes the gateways' node tools report")
    .option('--json', 'print JSON')
    .action((gateway: string | undefined, o: { json?: boolean }) =>
      withCore(async (core) => {
        const list = await core.call('nodes.list', { gateway });
        print(
          o.json,
          list,
          () =>
            list
              .map(
                (n) =>
                  `${n.node_id.padEnd(18)} ${n.type.padEnd(22)} ${(n.fw_version ?? '?').padEnd(10)} ${n.online ? 'online ' : 'OFFLINE'} ${n.gateway}  ${n.name}`,
              )
              .join('\n') || 'No nodes',
        );
      }),
    );
  nodes
    .command('check <node_id>')
    .description('is there newer firmware for this node in the library?')
    .option('--json', 'print JSON')
    .action((nodeId: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('nodes.check', { node_id: nodeId });
        print(o.json, r, () =>
          r.ota_available
            ? `Update available: ${r.fw_version} (${r.file_size} bytes, md5 ${r.file_md5}); job ${r.ota_job_id}`
            : r.description,
        );
      }),
    );
  nodes
    .command('push <node_id>')
    .description('push the offered firmware and follow the node until it confirms or rolls back')
    .option('--job <ota_job_id>', 'the job from `nodes check` (default: what check offers now)')
    .option('--json', 'print JSON')
    .action((nodeId: string, o: { job?: string; json?: boolean }) =>
      withCore(async (core) => {
        let job = o.job;
        if (!job) {
          const offer = await core.call('nodes.check', { node_id: nodeId });
          if (!offer.ota_available) return print(o.json, offer, () => offer.description);
          job = offer.ota_job_id;
        }
        const ref = { node_id: nodeId, ota_job_id: job };
        await core.call('nodes.push', ref);
        let last = '';
        // Never the push alone: followed until the node confirms, rolls back or refuses.
        for (;;) {
          const s = await core.call('nodes.status', ref);
          const line = `${s.status}: ${s.additional_info}`;
          if (line !== last && !o.json) process.stdout.write(`${line}\n`);
          last = line;
          if (!ENDED.has(s.status)) {
            await sleep(500);
            continue;
          }
          if (o.json) print(true, s, () => '');
          if (s.status !== 'success')
            throw new RiggerError('COMMAND_FAILED', `Node ${nodeId}: ${line}`);
          return;
        }
      }),
    );
  nodes
    .command('push-all <gateway>')
    .description('update every node of a type on a gateway, one after another')
    .requiredOption('--type <node_type>', 'the node type')
    .option('--continue', 'go on after a node fails')
    .option('--json', 'print JSON')
    .action((gateway: string, o: { type: string; continue?: boolean; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('nodes.pushAll', {
          gateway,
          type: o.type,
          continue_on_failure: !!o.continue,
        });
        print(o.json, r, () =>
          r
            .map((x) => `${x.node_id.padEnd(18)} ${x.status.padEnd(12)} ${x.additional_info}`)
            .join('\n'),
        );
        if (r.some((x) => x.status !== 'success' && x.status !== 'up_to_date'))
          throw new RiggerError('COMMAND_FAILED', 'Not every node was updated', { results: r });
      }),
    );
  registerNodeStatusCommand(nodes, withCore);
  nodes
    .command('import <bundle>')
    .description('import a signed node-firmware bundle into the library')
    .option('--json', 'print JSON')
    .action((bundle: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const fw = await core.call('nodes.importFirmware', { path: bundle });
        print(
          o.json,
          fw,
          () =>
            `Imported ${fw.id} (${fw.version}) for ${fw.node_types.join(', ')}; signed by ${fw.signer_name}`,
        );
      }),
    );
}

/** `rigger nodes status <node_id>`: the node's state from its gateway's tool, now. */
export function registerNodeStatusCommand(nodes: Command, withCore: WithCore): void {
  nodes
    .command('status <node_id>')
    .description("the node's OTA state as its gateway reports it now")
    .option('--json', 'print JSON')
    .action((nodeId: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('nodes.live', { node_id: nodeId });
        print(o.json, r, () =>
          r.status
            ? `${nodeId}: ${r.status.state}, running ${r.status.fw_version ?? '?'}${r.status.pending_version ? `, pending ${r.status.pending_version}` : ''}${r.status.message ? ` (${r.status.message})` : ''}`
            : `${nodeId}: no answer from the node (${r.error})`,
        );
      }),
    );
}
