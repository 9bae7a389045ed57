import type { Command } from 'commander';
import { parseListenAddress } from '../core/fleet/listen-address';
import { findResourcesDir } from '../core/paths';
import { startServer } from '../core/server/server';
import { defaultStaticDir } from '../core/server/static-files';
import { openCore, type GlobalOptions } from './context';
import { asWhole } from './options';
import { print } from './output';
import { RiggerError } from '../../shared/errors';

/** `rigger serve`: browser mode on 127.0.0.1 until Ctrl-C. */
export function registerServeCommand(
  program: Command,
  onError: (err: unknown, json?: boolean) => void,
): void {
  program
    .command('serve')
    .description('serve the Rigger UI and API to a browser on this computer')
    .option('--port <n>', 'port (default: a free one)', asWhole('--port', 1, 65535))
    .option('--json', 'print the URL as JSON')
    .option(
      '--mqtt <url>',
      'subscribe to a site MQTT broker for telemetry: mqtt://USER:PASS@HOST:PORT (kept in memory only)',
    )
    .option(
      '--device-listen <addr:port>',
      'also answer the device endpoints (auth, ota/check, telemetry) on ADDR:PORT, e.g. 0.0.0.0:8220',
    )
    .action(async (o: { port?: number; json?: boolean; mqtt?: string; deviceListen?: string }) => {
      const globals = program.opts<GlobalOptions>();
      try {
        if (o.mqtt && !/^mqtts?:\/\//.test(o.mqtt))
          throw new RiggerError(
            'VALIDATION_ERROR',
            `--mqtt wants mqtt://HOST:PORT, not ${o.mqtt}`,
            {
              mqtt: o.mqtt.replace(/:[^:@/]*@/, ':***@'),
            },
          );
        if (o.deviceListen) parseListenAddress(o.deviceListen);
        const core = openCore(globals, 'browser', { mqttUrl: o.mqtt });
        const server = await startServer({
          core,
          port: o.port,
          staticDir: defaultStaticDir(findResourcesDir()),
        });
        const devices = o.deviceListen ? await core.fleet.listen(o.deviceListen) : null;
        const out = { url: server.url, open: server.openUrl, token: server.token };
        print(o.json, devices ? { ...out, device_url: devices.url } : out, () =>
          [
            `Rigger is serving on ${server.openUrl}`,
            ...(devices ? [`Devices reach Rigger on ${devices.url}`] : []),
            'Open that address in a browser on this computer. Ctrl-C stops it.',
          ].join('\n'),
        );
        const stop = async () => {
          await server.close();
          await core.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop());
        process.once('SIGTERM', () => void stop());
      } catch (err) {
        onError(err, o.json);
      }
    });
}
