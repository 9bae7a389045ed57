import { benchBackup } from './backup';
import { benchFlash } from './flash';
import { benchDelta } from './delta';
import { benchImageImport } from './image-import';
import { benchTelemetry } from './telemetry';
import { benchPinGuess } from './pin-guess';
import { benchLink } from './link';
import { benchUbootTftp } from './uboot-tftp';
import { benchYmodem } from './ymodem';

/**
 * `npm run bench`: Rigger next to a reference tool in one run, printing ratios. Benchmarks are
 * not tests: nothing here fails a build, and no test asserts a duration.
 */
const BENCHES: Array<[string, () => Promise<string[]>]> = [
  ['image import', benchImageImport],
  ['flash', benchFlash],
  ['ymodem', benchYmodem],
  ['telemetry', benchTelemetry],
  ['pin guess', benchPinGuess],
  ['link', benchLink],
  ['delta', benchDelta],
  ['uboot tftp', benchUbootTftp],
  ['backup', benchBackup],
];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // `--short`: the benches that run for a goal's duration run a few seconds, for a quick look.
  if (args.includes('--short')) process.env.BENCH_SHORT = '1';
  const only = args.find((a) => !a.startsWith('--'));
  for (const [name, run] of BENCHES) {
    if (only && !name.includes(only)) continue;
    for (const line of await run()) console.log(line);
    console.log('');
  }
}

main().catch((err: Error & { details?: unknown; suggestedActions?: string[] }) => {
  // A failing bench says why: the whole message, a RiggerError's details, and where it came from.
  console.error(`bench failed: ${err.message}`);
  if (err.details) console.error(`  details: ${JSON.stringify(err.details).slice(0, 1500)}`);
  if (err.stack) console.error(err.stack.split('\n').slice(1, 6).join('\n'));
  process.exit(1);
});
