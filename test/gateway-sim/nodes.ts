import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type NodeBehavior = 'ok' | 'rollback' | 'reject' | 'hang' | 'drop';

/** One microcontroller node behind the test gateway. */
export interface SimNode {
  node_id: string;
  name: string;
  type: string;
  fw_version: string;
  behavior?: NodeBehavior;
  online?: boolean;
  /** Bytes in each of its two OTA slots (default 256 KiB). */
  slot_size?: number;
  /** With `drop`: the percentage of the transfer at which it falls off the bus. */
  drop_at?: number;
}

export interface NodeSimOptions {
  nodes?: SimNode[];
}

export interface NodeSim {
  /** The profile's `nodes` section. */
  profile: { list_command: string; push_command: string; status_command: string };
  nodes: SimNode[];
  setOnline(nodeId: string, online: boolean): void;
  /** The node's `otadata` record: which slot boots, each slot's state. */
  otadata(nodeId: string): { active: number; seq: number; slots: string[]; pending?: number };
  /** The bytes in one of the node's OTA slots. */
  slot(nodeId: string, n: 0 | 1): Buffer;
}

const SLOT = 256 * 1024;

/** The crane's nodes: a load sensor pair, a wind sensor, and one of each awkward kind. */
export const DEFAULT_NODES: SimNode[] = [
  {
    node_id: 'LOAD0001',
    name: 'Hoist load cell A',
    type: 'esp32-load-sensor',
    fw_version: '5.3.2',
  },
  {
    node_id: 'LOAD0002',
    name: 'Hoist load cell B',
    type: 'esp32-load-sensor',
    fw_version: '5.3.2',
  },
  { node_id: 'WIND0001', name: 'Boom anemometer', type: 'esp32-wind-sensor', fw_version: '1.2.0' },
  {
    node_id: 'LOAD0003',
    name: 'Trolley load cell',
    type: 'esp32-load-sensor',
    fw_version: '5.3.2',
    behavior: 'rollback',
  },
  {
    node_id: 'LIMIT001',
    name: 'Gantry limit switch',
    type: 'esp32-limit-switch',
    fw_version: '2.0.1',
    behavior: 'reject',
  },
];

/** A firmware image the sim's nodes accept: the header line their tool reads, then filler. */
export function makeNodeFirmware(type: string, version: string, size = 64 * 1024): Buffer {
  const head = Buffer.from(`RIGGER-SIM-FW type=${type} version=${version}\n`, 'latin1');
  const body = Buffer.alloc(Math.max(0, size - head.length));
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + version.length) & 0xff;
  return Buffer.concat([head, body]);
}

/** Lay out the nodes as files and install `gateway-nodes`, the tool section 7 describes. */
export function setupNodes(root: string, opts: NodeSimOptions): NodeSim {
  const dir = join(root, 'nodes');
  const nodes = opts.nodes ?? DEFAULT_NODES;
  for (const n of nodes) {
    const d = join(dir, n.node_id);
    mkdirSync(d, { recursive: true });
    const slotSize = n.slot_size ?? SLOT;
    writeFileSync(
      join(d, 'node.json'),
      JSON.stringify({
        name: n.name,
        type: n.type,
        behavior: n.behavior ?? 'ok',
        online: n.online ?? true,
        slot_size: slotSize,
        drop_at: n.drop_at,
      }),
    );
    writeFileSync(join(d, 'ota_0.bin'), makeNodeFirmware(n.type, n.fw_version, 4096));
    writeFileSync(join(d, 'ota_1.bin'), '');
    writeFileSync(
      join(d, 'otadata.json'),
      JSON.stringify({ active: 0, seq: 1, slots: ['valid', 'empty'] }),
    );
  }
  const tool = join(root, 'sbin', 'gateway-nodes');
  writeFileSync(
    tool,
    `#!/bin/sh\nexec '${process.execPath}' '${join(__dirname, 'gateway-nodes.cjs')}' '${dir}' "$@"\n`,
  );
  chmodSync(tool, 0o755);
  const nodeFile = (id: string) => join(dir, id, 'node.json');
  return {
    profile: {
      list_command: `${tool} list`,
      push_command: `${tool} push {node_id}`,
      status_command: `${tool} status {node_id}`,
    },
    nodes,
    setOnline(id, online) {
      const n = JSON.parse(readFileSync(nodeFile(id), 'utf8')) as Record<string, unknown>;
      writeFileSync(nodeFile(id), JSON.stringify({ ...n, online }));
    },
    otadata: (id) => JSON.parse(readFileSync(join(dir, id, 'otadata.json'), 'utf8')),
    slot: (id, n) => readFileSync(join(dir, id, `ota_${n}.bin`)),
  };
}
