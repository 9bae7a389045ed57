import { Command, CommanderError } from 'commander';
import type { Core } from '../core/core';
import { openCore, type GlobalOptions } from './context';
import { registerBackupCommands } from './backup';
import { registerConsoleGatewayCommands } from './console-gateway';
import { registerGatewayCommands } from './gateway';
import { isGatewayCommand, trustFirstHostKey, type TrustRequest } from './host-key';
import { EXIT, reportError } from './output';
import { registerImageCommands } from './images';
import { registerKeyCommands } from './keys';
import { registerMonitorCommands } from './monitor';
import { registerNodeCommands } from './nodes';
import { registerPluginCommands } from './plugins';
import { registerRecoveryCommands } from './recovery';
import { registerSerialCommands } from './serial';
import { registerServeCommand } from './serve';
import { registerStatusCommand } from './status';
import { registerSafetyCommands } from './safety';
import { registerSettingsCommands } from './settings';
import { registerUpdateCommands } from './updates';
import { registerBackupPlacesCommands } from './backup-places';
import { registerDeviceCommands } from './devices';
import { registerRolloutCommands } from './rollout';
import { registerTelemetryCommands } from './telemetry';
import { registerHawkbitCommands } from './hawkbit';
import { riggerVersion } from './version';

/**
 * Every `rigger` command, ready to parse; `onError` hears each command's failure. A command
 * marked as connecting to a gateway has a first host key settled before it runs.
 */
export function buildProgram(onError: (err: unknown, json?: boolean) => void): Command {
  let trust: TrustRequest | null = null;
  const program = new Command('rigger')
    .description('Maintenance for the dual-slot U-Boot gateways on port cranes')
    .addHelpText('after', "\n  rigger --version (or -V) prints Rigger's version.")
    .option(
      '--data-dir <dir>',
      "Rigger's state folder (default: RIGGER_DATA_DIR or the desktop app's)",
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .hook('preAction', (_program, action) => {
      trust = isGatewayCommand(action)
        ? {
            gateway: String(action.processedArgs[0]),
            accept: !!action.opts<{ acceptNewHostKey?: boolean }>().acceptNewHostKey,
            json: !!action.optsWithGlobals<{ json?: boolean }>().json,
          }
        : null;
    });

  /** Open the core, run one command, close it; errors become the exit code. */
  const withCore = async <T>(fn: (core: Core, g: GlobalOptions) => Promise<T>): Promise<void> => {
    const globals = program.opts<GlobalOptions>();
    let core: Core | undefined;
    try {
      core = openCore(globals);
      if (trust) await trustFirstHostKey(core, trust);
      await fn(core, globals);
    } catch (err) {
      onError(err);
    } finally {
      await core?.close();
    }
  };

  registerGatewayCommands(program, withCore);
  registerStatusCommand(program, withCore);
  registerServeCommand(program, onError);
  registerImageCommands(program, withCore);
  registerKeyCommands(program, withCore, onError);
  registerMonitorCommands(program, withCore);
  registerUpdateCommands(program, withCore);
  registerSafetyCommands(program, withCore);
  registerRecoveryCommands(program, withCore);
  registerSerialCommands(program, withCore);
  registerConsoleGatewayCommands(program, withCore);
  registerSettingsCommands(program, withCore);
  registerBackupCommands(program, withCore);
  registerPluginCommands(program, withCore);
  registerNodeCommands(program, withCore);
  registerBackupPlacesCommands(program, withCore);
  registerDeviceCommands(program, withCore);
  registerTelemetryCommands(program, withCore);
  registerRolloutCommands(program, withCore, onError);
  registerHawkbitCommands(program, withCore);
  return program;
}

/** Run the `rigger` command line; resolves to the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  const wantsJson = argv.includes('--json');
  const program = buildProgram((err, json) => {
    exitCode = reportError(err, json ?? wantsJson);
  });

  // Only as the first argument: commander would take a program-level --version anywhere, and
  // `images import` has a --version option of its own.
  if (argv[2] === '--version' || argv[2] === '-V') {
    process.stdout.write(`${riggerVersion()}\n`);
    return 0;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.exitCode === 0
        ? 0
        : EXIT.usage;
    }
    return reportError(err, wantsJson);
  }
  // A command that printed its answer but failed (a connection test, a verify) set exitCode.
  return exitCode !== 0 ? exitCode : Number(process.exitCode ?? 0);
}
