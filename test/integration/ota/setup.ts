import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../../src/main/core/core';
import type { OtaTimings } from '../../../src/main/core/ota/context';
import type { JobStatus } from '../../../src/shared/jobs';
import { makeSimImage, type GatewaySim } from '../../gateway-sim';
import { opensslEd25519 } from '../../helpers/bundles';
import { addSimGateway } from '../../helpers/sim-gateway';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A signed bundle holding a sim image (its header tells the sim's U-Boot version and health). */
export function simBundle(
  dir: string,
  signer: { key: string },
  version: string,
  opts: {
    size?: number;
    healthy?: boolean;
    gzip?: boolean;
    compressible?: boolean;
    /** The image's bytes as they are (a delta test's changed copy of another image). */
    raw?: Buffer;
  } = {},
) {
  const name = `sim-${version}-${opts.healthy === false ? 'sick' : 'ok'}`;
  const work = join(dir, `${name}.d`);
  mkdirSync(work, { recursive: true });
  const raw =
    opts.raw ?? makeSimImage(version, opts.size ?? 4 * 1024 * 1024, { healthy: opts.healthy });
  // Like a root filesystem: 60% of each 4 KiB block zero, so gzip compresses it about 2.5x.
  if (opts.compressible && !opts.raw)
    for (let b = 4096; b < raw.length; b += 4096) raw.fill(0, b + 1638, b + 4096);
  writeFileSync(join(work, 'gateway.img'), raw);
  let file = 'gateway.img';
  if (opts.gzip) {
    execFileSync('gzip', ['-n', '-1', '-f', 'gateway.img'], { cwd: work });
    file = 'gateway.img.gz';
  }
  const stored = execFileSync('cat', [join(work, file)], { maxBuffer: 1 << 30 });
  const manifest = {
    manifest: 1,
    id: name,
    version,
    type: 'security',
    severity: 'critical',
    channel: 'stable',
    released: '2025-03-15',
    description: 'sim image',
    changelog: ['test'],
    compatible: { models: ['Univa-GW-Pro'], hardware_revisions: ['RevB'] },
    prerequisites: [],
    image: {
      file,
      format: 'raw',
      compression: opts.gzip ? 'gzip' : 'none',
      size: raw.length,
      sha256: sha(raw),
      compressed_size: stored.length,
      compressed_sha256: sha(stored),
    },
  };
  const mf = join(work, 'manifest.json');
  writeFileSync(mf, JSON.stringify(manifest, null, 2));
  const sig = execFileSync('openssl', [
    'pkeyutl',
    '-sign',
    '-inkey',
    signer.key,
    '-rawin',
    '-in',
    mf,
  ]);
  writeFileSync(join(work, 'manifest.sig'), sig.toString('base64') + '\n');
  const tar = join(dir, `${name}.tar`);
  execFileSync('tar', ['-C', work, '-cf', tar, 'manifest.json', 'manifest.sig', file]);
  return { path: tar, id: name, sha256: sha(raw), size: raw.length };
}

/** A core with short waits, the sim registered as "gw", and a trusted vendor key. */
export async function otaCore(
  sim: GatewaySim,
  dataDir?: string,
  timings: Partial<OtaTimings> = {},
) {
  const work = mkdtempSync(join(tmpdir(), 'rigger-ota-'));
  const core: Core = createCore({
    dataDir: dataDir ?? join(work, 'data'),
    mode: 'test',
    otaTimings: {
      rebootWaitMs: 30_000,
      healthWaitMs: 4_000,
      pollMs: 300,
      safetyWaitMs: 60_000,
      checkpointBytes: 512 * 1024,
      ...timings,
    },
  });
  const vendor = opensslEd25519(work);
  await core.call('keys.add', { path: vendor.pub });
  await addSimGateway(core, sim);
  return { core, work, vendor };
}

/** Point "gw" at `port` on 127.0.0.1 (a proxy in front of the sim) and pin its key again. */
export async function throughProxy(core: Core, sim: GatewaySim, port: number) {
  await core.call('gateways.edit', {
    name: 'gw',
    confirm_new_address: true,
    changes: {
      connection: {
        type: 'ssh',
        host: '127.0.0.1',
        port,
        user: sim.user,
        auth: { method: 'key', key_file: sim.keyFile },
      },
    },
  });
  await core.gateways.status('gw', 'accept-new'); // a new address: its key is pinned again
}

/** Poll a job until it reaches one of `statuses`. */
export async function until(core: Core, jobId: string, statuses: JobStatus[], ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const j = await core.call('jobs.get', { job_id: jobId });
    if (statuses.includes(j.status)) return j;
    if (Date.now() > end)
      throw new Error(`job ${jobId} stuck at ${j.status} (${j.current_operation}): ${j.error}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Wait until the job has a step of this name in this state. */
export async function stepReached(core: Core, jobId: string, name: string, status: string) {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const steps = core.jobs.store.steps(jobId);
    if (steps.some((s) => s.name === name && s.status === status)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${jobId} never reached ${name} ${status}`);
}
