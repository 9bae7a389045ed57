import { execFileSync } from 'node:child_process';
import { createHash, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeNodeFirmware } from '../../gateway-sim/nodes';

const hash = (algo: string, b: Buffer) => createHash(algo).update(b).digest('hex');

/** A node-firmware bundle as IMAGE-BUNDLE.md describes it, packed by GNU tar, signed with `key`. */
export function makeFirmwareBundle(
  dir: string,
  o: {
    key: KeyObject;
    type: string;
    version: string;
    size?: number;
    kind?: string | null;
    md5?: string | null;
    prerequisites?: string[];
    tamper?: (m: Record<string, unknown>) => void;
  },
): { path: string; firmware: Buffer } {
  const id = `${o.type}-${o.version}`;
  const work = join(dir, `${id}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(work, { recursive: true });
  const firmware = makeNodeFirmware(o.type, o.version, o.size);
  const file = `${id}.bin`;
  writeFileSync(join(work, file), firmware);
  const manifest: Record<string, unknown> = {
    manifest: 1,
    ...(o.kind === null ? {} : { kind: o.kind ?? 'node-firmware' }),
    id,
    version: o.version,
    type: 'hotfix',
    severity: 'normal',
    channel: 'stable',
    released: '2025-11-17',
    description: 'New firmware version with bug fixes',
    changelog: ['Load cell drift compensation'],
    compatible: { node_types: [o.type] },
    prerequisites: o.prerequisites ?? [],
    image: {
      file,
      format: 'raw',
      compression: 'none',
      size: firmware.length,
      sha256: hash('sha256', firmware),
      ...(o.md5 === null ? {} : { md5: o.md5 ?? hash('md5', firmware) }),
    },
  };
  o.tamper?.(manifest);
  const json = Buffer.from(JSON.stringify(manifest, null, 2));
  writeFileSync(join(work, 'manifest.json'), json);
  writeFileSync(join(work, 'manifest.sig'), `${sign(null, json, o.key).toString('base64')}\n`);
  const path = `${work}.tar`;
  execFileSync('tar', ['-C', work, '-cf', path, 'manifest.json', 'manifest.sig', file]);
  return { path, firmware };
}
