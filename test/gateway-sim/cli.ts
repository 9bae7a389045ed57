import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { makeSimImage, sha256 } from './image';
import { startGatewaySim, type SchemeName } from './index';

const USAGE = `Usage:
  npm run gateway:sim -- [--scheme bootcount|rauc|mender] [--booted A|B] [--port N]
                         [--busybox | --contract-tools]
  npm run gateway:sim -- --make-image VERSION OUT [--size BYTES] [--unhealthy]

Starts a test gateway (a real sshd on 127.0.0.1 in front of a folder that plays the gateway)
and stays up until Ctrl-C. It needs root, since it runs its own sshd.

  --scheme S         the boot scheme its U-Boot plays (default bootcount)
  --booted A|B       the slot booted at start (default A; A holds v5.0.4, B v5.0.3)
  --port N           sshd's port on 127.0.0.1 (default: a free one)
  --busybox          commands find only BusyBox applets
  --contract-tools   commands find only the tools the gateway contract promises

--make-image VERSION OUT writes an image this test gateway boots: it reports VERSION after the
reboot into it. OUT ending in .gz is gzip-compressed. --size (default 4194304, at most the
64 MiB slot) sets the uncompressed size; --unhealthy makes an image that boots but fails the
health check, so the update is rolled back.`;

const DEFAULT_IMAGE_SIZE = 4 * 1024 * 1024;
const SLOT_SIZE = 64 * 1024 * 1024;

/** The image a person flashes in the README's walk-through. */
function makeImage(version: string, out: string, size: number, healthy: boolean): void {
  if (!/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version))
    throw new Error(`VERSION must look like v5.1.0 or v5.1.0-custom, not "${version}"`);
  if (!Number.isInteger(size) || size < 512 || size > SLOT_SIZE)
    throw new Error(`--size must be a whole number of bytes from 512 to ${SLOT_SIZE}`);
  const img = makeSimImage(version, size, { healthy });
  const path = resolve(out);
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(img) : img);
  console.log(`Wrote ${path}: test gateway image ${version}, ${size} bytes`);
  console.log(`  sha256 of the image  ${sha256(img)}`);
  console.log(`  boots ${healthy ? 'healthy' : 'unhealthy (the update rolls back)'}`);
}

async function startSim(values: Record<string, string | boolean | undefined>): Promise<void> {
  const scheme = (values.scheme ?? 'bootcount') as SchemeName;
  if (!['bootcount', 'rauc', 'mender'].includes(scheme))
    throw new Error('--scheme must be bootcount, rauc or mender');
  const booted = String(values.booted ?? 'A').toUpperCase();
  if (booted !== 'A' && booted !== 'B') throw new Error('--booted must be A or B');
  let port: number | undefined;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error('--port must be a TCP port, 1 to 65535');
  }
  const sim = await startGatewaySim({
    scheme,
    booted,
    port,
    busybox: values.busybox === true,
    contractToolsOnly: values['contract-tools'] === true,
  });
  console.log(`Test gateway up: ${scheme} scheme, slot ${booted} booted`);
  console.log(`  SSH          ${sim.user}@${sim.host}:${sim.port}`);
  console.log(`  host key     ${sim.hostKeyFingerprint}`);
  console.log(`  root folder  ${sim.root}`);
  console.log('\nAdd it to Rigger:');
  console.log(
    `  npm run rigger -- gateway add sim --ssh ${sim.user}@${sim.host}:${sim.port} --key ${sim.keyFile} --profile ${sim.profilePath}`,
  );
  console.log('  npm run rigger -- status sim --accept-new-host-key');
  console.log('\nCtrl-C stops it.');
  const stop = () => {
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      scheme: { type: 'string' },
      booted: { type: 'string' },
      port: { type: 'string' },
      busybox: { type: 'boolean' },
      'contract-tools': { type: 'boolean' },
      'make-image': { type: 'string' },
      size: { type: 'string' },
      unhealthy: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['make-image'] !== undefined) {
    const out = positionals[0];
    if (!out || positionals.length > 1) throw new Error('--make-image takes VERSION OUT');
    const size = values.size === undefined ? DEFAULT_IMAGE_SIZE : Number(values.size);
    makeImage(values['make-image'], out, size, values.unhealthy !== true);
    return;
  }
  if (positionals.length) throw new Error(`unexpected argument "${positionals[0]}"`);
  await startSim(values);
}

main().catch((err: Error) => {
  console.error(`gateway-sim: ${err.message}\n\n${USAGE}`);
  process.exit(1);
});
