import { resolve } from 'node:path';
import type { Command } from 'commander';
import { RiggerError } from '../../shared/errors';
import type { Device } from '../../shared/devices';
import type { Firmware } from '../../shared/fleet-ota';
import type { WithCore } from './context';
import { print } from './output';

/** `KEY=VALUE` pairs of `--meta`, collected; a value `null` removes the key on update. */
function collectMeta(pair: string, acc: Record<string, string | null>) {
  const i = pair.indexOf('=');
  if (i < 1)
    throw new RiggerError('VALIDATION_ERROR', `--meta wants KEY=VALUE, not "${pair}"`, {
      meta: pair,
    });
  const value = pair.slice(i + 1);
  return { ...acc, [pair.slice(0, i)]: value === 'null' ? null : value };
}

const deviceLine = (d: Device) =>
  [
    d.device_id.padEnd(20),
    d.status.padEnd(15),
    d.device_type.padEnd(16),
    (d.firmware_version ?? '-').padEnd(10),
    d.last_seen ?? 'never seen',
  ].join(' ');

const deviceText = (d: Device) =>
  [
    `${d.name} (${d.device_id})`,
    `  status    ${d.status}`,
    `  type      ${d.device_type}${d.model ? `, ${d.model}` : ''}`,
    `  firmware  ${d.firmware_version ?? 'unknown'}`,
    `  last seen ${d.last_seen ?? 'never'}`,
    `  source    ${d.source}${d.gateway ? ` (gateway ${d.gateway})` : ''}`,
    ...Object.entries(d.metadata).map(([k, v]) => `  ${k}: ${String(v)}`),
  ].join('\n');

const firmwareLine = (f: Firmware) =>
  `${f.device_type.padEnd(16)} ${f.version.padEnd(10)} ${f.signed ? 'signed  ' : 'UNSIGNED'} ${f.mandatory ? 'mandatory ' : ''}${f.image_id}`;

/** `rigger devices …` and `rigger firmware …`: the seed's device registry and firmware versions. */
export function registerDeviceCommands(program: Command, withCore: WithCore): void {
  const devices = program.command('devices').description('the site fleet: gateways and devices');
  devices
    .command('list')
    .description('the devices Rigger knows, gateways and nodes included')
    .option('--status <status>', 'only devices in this status (online, offline, updating, ...)')
    .option('--type <type>', 'only devices of this type')
    .option('--json', 'print JSON')
    .action((o: { status?: string; type?: string; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('devices.list', { status: o.status, type: o.type });
        print(o.json, r, () =>
          r.devices.length
            ? r.devices.map(deviceLine).join('\n')
            : 'No devices: add a gateway, or rigger devices register',
        );
      }),
    );
  devices
    .command('show <device>')
    .description("a device's registration, status and firmware")
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const d = await core.call('devices.get', { device_id: id });
        print(o.json, d, () => deviceText(d));
      }),
    );
  devices
    .command('register <device>')
    .description('register a device; its token is shown this once')
    .requiredOption('--type <type>', 'device type, e.g. crane_node')
    .option('--name <name>', 'a name people read (default: the id)')
    .option('--manufacturer <text>')
    .option('--model <text>')
    .option('--firmware <version>', 'the firmware it runs now')
    .option('--meta <key=value>', 'metadata (repeatable)', collectMeta, {})
    .option('--json', 'print JSON')
    .action(
      (
        id: string,
        o: {
          type: string;
          name?: string;
          manufacturer?: string;
          model?: string;
          firmware?: string;
          meta: Record<string, string>;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          const r = await core.call('devices.register', {
            device_id: id,
            device_type: o.type,
            name: o.name ?? id,
            manufacturer: o.manufacturer,
            model: o.model,
            firmware_version: o.firmware,
            metadata: o.meta,
          });
          print(
            o.json,
            r,
            () =>
              `Registered ${r.device_id} (${r.status})\nIts token (shown once; the device sends it as X-Device-Token):\n  ${r.auth_token}`,
          );
        }),
    );
  devices
    .command('update <device>')
    .description("change a device's name, type or metadata")
    .option('--name <name>')
    .option('--type <type>')
    .option('--manufacturer <text>')
    .option('--model <text>')
    .option('--firmware <version>')
    .option('--meta <key=value>', 'set metadata (repeatable; KEY=null removes it)', collectMeta)
    .option('--json', 'print JSON')
    .action(
      (
        id: string,
        o: {
          name?: string;
          type?: string;
          manufacturer?: string;
          model?: string;
          firmware?: string;
          meta?: Record<string, string | null>;
          json?: boolean;
        },
      ) =>
        withCore(async (core) => {
          const d = await core.call('devices.update', {
            device_id: id,
            name: o.name,
            device_type: o.type,
            manufacturer: o.manufacturer,
            model: o.model,
            firmware_version: o.firmware,
            metadata: o.meta,
          });
          print(o.json, d, () => deviceText(d));
        }),
    );
  devices
    .command('decommission <device>')
    .description('take a device out of service; its token stops working')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      withCore(async (core) => {
        const d = await core.call('devices.decommission', { device_id: id });
        print(o.json, d, () => `${d.device_id} is ${d.status}`);
      }),
    );

  const firmware = program.command('firmware').description('firmware versions per device type');
  firmware
    .command('list')
    .description('firmware versions in the library, per device type')
    .option('--type <type>', 'only this device type')
    .option('--json', 'print JSON')
    .action((o: { type?: string; json?: boolean }) =>
      withCore(async (core) => {
        const r = await core.call('firmware.list', { device_type: o.type });
        print(o.json, r, () =>
          r.firmware.length
            ? r.firmware.map(firmwareLine).join('\n')
            : 'No firmware versions: rigger firmware add',
        );
      }),
    );
  firmware
    .command('add')
    .description('make a library image (or a file, imported now) a firmware version')
    .requiredOption('--version <version>', 'the version (as the image says)')
    .requiredOption('--type <type>', 'the device type it is for')
    .option('--image <id>', 'an image already in the library')
    .option('--file <path>', 'a bundle or image file to import')
    .option('--notes <text>', 'release notes')
    .option('--mandatory', 'devices must take it')
    .option('--unsigned', 'take an unsigned image (audited)')
    .option('--json', 'print JSON')
    .action(
      (o: {
        version: string;
        type: string;
        image?: string;
        file?: string;
        notes?: string;
        mandatory?: boolean;
        unsigned?: boolean;
        json?: boolean;
      }) =>
        withCore(async (core) => {
          const f = await core.call('firmware.add', {
            version: o.version,
            device_type: o.type,
            image_id: o.image,
            path: o.file ? resolve(o.file) : undefined,
            release_notes: o.notes,
            mandatory: !!o.mandatory,
            unsigned: !!o.unsigned,
          });
          print(o.json, f, () => `Firmware ${f.version} for ${f.device_type}: ${firmwareLine(f)}`);
        }),
    );
}
