import type { Command } from 'commander';
import { parseListenAddress } from '../core/fleet/listen-address';
import { findResourcesDir } from '../core/paths';
import type { Core } from '../core/core';
import { startServer, type RunningServer } from '../core/server/server';
import { defaultStaticDir } from '../core/server/static-files';
import { openCore, type GlobalOptions } from './context';
import { asWhole } from './options';
import { print } from './output';
import { RiggerError } from '../../shared/errors';

interface ServeOptions {
  port?: number;
  json?: boolean;
  mqtt?: string;
  deviceListen?: string;
  seedPorts?: boolean;
}

/** The seed's service ports: devices 8220, OTA 8221, telemetry 8225. */
export const SEED_PORTS = [8220, 8221, 8225] as const;

/** The admin server again on each seed port (127.0.0.1, same token); none left open on failure. */
async function seedServers(core: Core, token: string): Promise<RunningServer[]> {
  const up: RunningServer[] = [];
  for (const port of SEED_PORTS) {
    try {
      up.push(await startServer({ core, port, token }));
    } catch (err) {
      await Promise.all(up.map((s) => s.close()));
      throw new RiggerError(
        'VALIDATION_ERROR',
        `Port ${port} on 127.0.0.1 cannot be used: ${(err as Error).message}`,
        { port },
        ['Stop what listens there, or run rigger serve without --seed-ports'],
      );
    }
  }
  return up;
}

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
    .option(
      '--seed-ports',
      "also serve the admin API on 127.0.0.1:8220, :8221 and :8225 (the seed's device, OTA and telemetry ports), same token",
    )
    .action(async (o: ServeOptions) => {
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
        const seed = o.seedPorts
          ? await seedServers(core, server.token).catch(async (err: unknown) => {
              await server.close();
              await core.close();
              throw err;
            })
          : [];
        const devices = o.deviceListen ? await core.fleet.listen(o.deviceListen) : null;
        const out = {
          url: server.url,
          open: server.openUrl,
          token: server.token,
          ...(seed.length ? { seed_urls: seed.map((s) => s.url) } : {}),
        };
        print(o.json, devices ? { ...out, device_url: devices.url } : out, () =>
          [
            `Rigger is serving on ${server.openUrl}`,
            ...(seed.length
              ? [`The API also answers on ${seed.map((s) => s.url).join(', ')}`]
              : []),
            ...(devices ? [`Devices reach Rigger on ${devices.url}`] : []),
            'Open that address in a browser on this computer. Ctrl-C stops it.',
          ].join('\n'),
        );
        const stop = async () => {
          await Promise.all(seed.map((s) => s.close()));
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
