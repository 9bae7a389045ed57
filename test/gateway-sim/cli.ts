import { startGatewaySim, type SchemeName } from './index';

/**
 * `npm run gateway:sim -- [--scheme S] [--booted A|B] [--busybox | --contract-tools]`: a test
 * gateway for people. `--contract-tools` offers only the tools GATEWAY-CONTRACT.md lists.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const scheme = (opt('--scheme') ?? 'bootcount') as SchemeName;
  if (!['bootcount', 'rauc', 'mender'].includes(scheme))
    throw new Error(`--scheme must be bootcount, rauc or mender`);
  const booted = (opt('--booted') ?? 'A') as 'A' | 'B';
  if (booted !== 'A' && booted !== 'B') throw new Error('--booted must be A or B');
  const sim = await startGatewaySim({
    scheme,
    booted,
    busybox: args.includes('--busybox'),
    contractToolsOnly: args.includes('--contract-tools'),
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

main().catch((err: Error) => {
  console.error(`gateway-sim: ${err.message}`);
  process.exit(1);
});
