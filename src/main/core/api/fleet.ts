import type { LibraryImage } from '../../../shared/images';
import type { Fleet } from '../fleet/fleet';
import type { AreaHandlers } from './handlers';

type FleetOps =
  | 'devices.register'
  | 'devices.get'
  | 'devices.list'
  | 'devices.update'
  | 'devices.decommission'
  | 'firmware.list'
  | 'firmware.add'
  | 'ota.check'
  | 'ota.trigger'
  | 'ota.status'
  | 'ota.rollback'
  | 'ota.batchUpdate'
  | 'rollouts.get'
  | 'rollouts.list'
  | 'rollouts.pause'
  | 'rollouts.resume'
  | 'rollouts.cancel'
  | 'rollouts.skip';

/** What firmware.add needs of the image library: import a file, read an image. */
export interface FirmwareImages {
  importPath(path: string, opts: { unsigned?: boolean; version?: string }): Promise<LibraryImage>;
  /** An uploaded file (the seed's multipart `file`) imported into the library; its id. */
  importUpload(name: string, opts: { version: string; unsigned: boolean }): Promise<string>;
  get(id: string): LibraryImage;
}

/** The seed's device and OTA services as API operations over the fleet. */
export function fleetHandlers(fleet: Fleet, images: FirmwareImages): AreaHandlers<FleetOps> {
  const { devices, firmware, ota, rollouts } = fleet;
  return {
    'devices.register': async (input) => devices.register(input),
    'devices.get': async ({ device_id }) => devices.get(device_id),
    'devices.list': async (query) => devices.list(query),
    'devices.update': async ({ device_id, ...changes }) => devices.patch(device_id, changes),
    'devices.decommission': async ({ device_id }) => devices.decommission(device_id),
    'firmware.list': async (query) => firmware.list(query),
    'firmware.add': async ({ image_id, path, upload, ...fields }) => {
      const opts = { version: fields.version, unsigned: fields.unsigned };
      const image = image_id
        ? images.get(image_id)
        : path
          ? await images.importPath(path, opts)
          : images.get(await images.importUpload(upload!, opts));
      return firmware.add(fields, image);
    },
    'ota.check': async ({ device_id, firmware_version }) => {
      const dev = devices.get(device_id);
      const current = firmware_version ?? dev.firmware_version;
      return fleet.check(dev, current);
    },
    'ota.trigger': async (input) => ota.trigger(input),
    'ota.status': async ({ device_id }) => ota.status(device_id),
    'ota.rollback': async (input) => ota.rollback(input),
    'ota.batchUpdate': async (input) => rollouts.create(input),
    'rollouts.get': async (input) => rollouts.get(input),
    'rollouts.list': async () => ({ rollouts: rollouts.list() }),
    'rollouts.pause': async (input) => rollouts.pause(input),
    'rollouts.resume': async (input) => rollouts.resume(input),
    'rollouts.cancel': async (input) => rollouts.cancel(input),
    'rollouts.skip': async (input) => rollouts.skip(input),
  };
}
