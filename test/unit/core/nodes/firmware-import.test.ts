import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importNodeFirmware } from '../../../../src/main/core/nodes/firmware-import';
import {
  createFirmwareLibrary,
  type FirmwareLibrary,
} from '../../../../src/main/core/nodes/firmware-library';
import { RiggerError } from '../../../../src/shared/errors';
import { makeFirmwareBundle } from '../../../integration/nodes/firmware-bundle';
import { makeSigningKey } from '../plugins/plugin-zip';

const vendor = makeSigningKey();
let dir: string;
let library: FirmwareLibrary;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rigger-fw-'));
  library = createFirmwareLibrary(join(dir, 'lib'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Opts = Omit<Parameters<typeof makeFirmwareBundle>[1], 'key' | 'type' | 'version'> & {
  key?: Parameters<typeof makeFirmwareBundle>[1]['key'];
};
const bundle = (o: Opts = {}) =>
  makeFirmwareBundle(dir, {
    key: vendor.privateKey,
    type: 'esp32-load-sensor',
    version: '5.3.3',
    ...o,
  });
const load = (path: string) =>
  importNodeFirmware(path, { library, trust: { anchors: () => vendor.anchors } });

async function refused(p: Promise<unknown>): Promise<RiggerError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RiggerError);
  expect(library.list()).toEqual([]);
  return err as RiggerError;
}

describe('node firmware import', () => {
  it('imports a signed bundle, with the seed file_md5 and file_size', async () => {
    const b = bundle();
    const fw = await load(b.path);
    expect(fw).toMatchObject({
      id: 'esp32-load-sensor-5.3.3',
      version: '5.3.3',
      node_types: ['esp32-load-sensor'],
      size: b.firmware.length,
      md5: createHash('md5').update(b.firmware).digest('hex'),
      signer: vendor.anchors.ed25519[0]!.fingerprint,
    });
    expect(readFileSync(library.path(fw))).toEqual(b.firmware);
    expect(library.newestFor('esp32-load-sensor')?.id).toBe(fw.id);
    expect(library.newestFor('esp32-wind-sensor')).toBeNull();
  });

  it('computes the md5 when the manifest has none', async () => {
    const b = bundle({ md5: null });
    expect((await load(b.path)).md5).toBe(createHash('md5').update(b.firmware).digest('hex'));
  });

  it('refuses a wrong md5, an untrusted signer, a gateway image and a bad sha256', async () => {
    expect((await refused(load(bundle({ md5: '0'.repeat(32) }).path))).code).toBe('OTA_007');
    expect((await refused(load(bundle({ key: makeSigningKey().privateKey }).path))).code).toBe(
      'OTA_006',
    );
    expect((await refused(load(bundle({ kind: null }).path))).code).toBe('VALIDATION_ERROR');
    const bad = bundle({
      tamper: (m) => ((m.image as { sha256: string }).sha256 = 'a'.repeat(64)),
    });
    expect((await refused(load(bad.path))).code).toBe('OTA_007');
  });
});
