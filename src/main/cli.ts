import { runCli } from './cli/program';

// `serve` keeps running after the command resolves; every other command exits with its code.
void runCli(process.argv).then((code) => {
  if (code !== 0 || !process.argv.includes('serve')) process.exitCode = code;
});
