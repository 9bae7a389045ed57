import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Device } from '../../../shared/devices';
import { RiggerError } from '../../../shared/errors';
import type { OtaCheck } from '../../../shared/fleet-ota';
import type { DeviceRegistry } from './devices';
import { HttpError, readJsonBody, sendError, sendJson } from './http-io';
import { createRateLimiter } from './rate-limit';

/** The only paths a device may reach (the seed's device-facing endpoints). */
export const DEVICE_PATHS = {
  auth: '/api/v1/devices/auth',
  check: '/api/v1/ota/check',
  telemetry: '/api/v1/telemetry',
} as const;

export interface DeviceListenerOptions {
  host: string;
  port: number;
  devices: DeviceRegistry;
  /** The telemetry service's ingest: checks the sample and queues it, or throws. */
  ingest: (deviceId: string, body: unknown) => { accepted: number };
  /** The seed's update check for a device running `current`. */
  check: (device: Device, current: string | null) => OtaCheck | Promise<OtaCheck>;
  maxBodyBytes?: number;
  /** Requests a device may make at once, and refilled per second. */
  rate?: { capacity: number; perSecond: number };
  now?: () => number;
}

export interface DeviceListener {
  url: string;
  port: number;
  close(): Promise<void>;
}

const header = (req: IncomingMessage, name: string): string => {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
const notFound = () =>
  new HttpError(404, new RiggerError('NOT_FOUND', 'This listener answers device endpoints only'));
const forbidden = (claimed: string, actual: string) =>
  new HttpError(
    403,
    new RiggerError(
      'UNAUTHORIZED',
      `Device "${actual}" may not send for device "${claimed}"`,
      { device_id: actual, claimed_device_id: claimed },
      ['Each device sends with its own X-Device-ID and token'],
    ),
  );

/**
 * The device-facing listener (`rigger serve --device-listen ADDR:PORT`): a server of its own that
 * answers the seed's device endpoints only, each authenticated by device id + token. The UI, the
 * admin API and the WebSocket are never reachable here, whatever the path or an Upgrade header.
 */
export async function startDeviceListener(o: DeviceListenerOptions): Promise<DeviceListener> {
  const maxBody = o.maxBodyBytes ?? 64 * 1024;
  const rate = o.rate ?? { capacity: 20, perSecond: 10 };
  const perDevice = createRateLimiter({ ...rate, now: o.now });
  // Failed logins are limited per address: guessing tokens costs the guesser, not the device.
  const perAddress = createRateLimiter({ capacity: 20, perSecond: 2, now: o.now });

  const limit = (deviceId: string) => {
    const wait = perDevice.take(deviceId);
    if (wait !== null)
      throw new HttpError(
        429,
        new RiggerError(
          'VALIDATION_ERROR',
          `Too many requests from "${deviceId}"`,
          { retry_after: wait },
          [`Send again after ${wait} s`, 'Batch several metrics into one sample'],
        ),
        { 'Retry-After': String(wait) },
      );
  };
  const authenticate = (req: IncomingMessage, id: string, token: string): Device => {
    try {
      return o.devices.verify(id, token);
    } catch (err) {
      const wait = perAddress.take(req.socket.remoteAddress ?? '?');
      if (wait !== null)
        throw new HttpError(429, new RiggerError('UNAUTHORIZED', 'Too many failed logins'), {
          'Retry-After': String(wait),
        });
      throw err;
    }
  };
  const fromHeaders = (req: IncomingMessage) =>
    authenticate(req, header(req, 'x-device-id'), header(req, 'x-device-token'));
  /** A device names another device (query, body): refused, never quietly re-addressed. */
  const sameDevice = (device: Device, claimed: unknown) => {
    if (claimed !== undefined && claimed !== device.device_id)
      throw forbidden(String(claimed), device.device_id);
  };

  const route = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const method = req.method ?? 'GET';
    const only = (m: string) => {
      if (method !== m)
        throw new HttpError(405, new RiggerError('VALIDATION_ERROR', `Use ${m}`), { Allow: m });
    };
    switch (url.pathname) {
      case DEVICE_PATHS.auth: {
        only('POST');
        const body = (await readJsonBody(req, maxBody)) as Record<string, unknown>;
        const claimed = header(req, 'x-device-id');
        if (claimed && body && claimed !== body.device_id)
          throw forbidden(String(body.device_id), claimed);
        const id = typeof body?.device_id === 'string' ? body.device_id : '';
        authenticate(req, id, typeof body?.device_secret === 'string' ? body.device_secret : '');
        limit(id);
        return sendJson(res, 200, o.devices.auth(body));
      }
      case DEVICE_PATHS.check: {
        only('GET');
        const device = fromHeaders(req);
        sameDevice(device, url.searchParams.get('device_id') ?? undefined);
        limit(device.device_id);
        const current = header(req, 'x-firmware-version').slice(0, 64) || device.firmware_version;
        o.devices.markSeen(
          device.device_id,
          header(req, 'x-firmware-version').slice(0, 64) || undefined,
        );
        return sendJson(res, 200, await o.check(device, current));
      }
      case DEVICE_PATHS.telemetry: {
        only('POST');
        const device = fromHeaders(req);
        sameDevice(device, url.searchParams.get('device_id') ?? undefined);
        limit(device.device_id);
        const body = await readJsonBody(req, maxBody);
        let sample = body;
        if (body && typeof body === 'object' && !Array.isArray(body) && 'device_id' in body) {
          const { device_id, ...rest } = body as Record<string, unknown>;
          sameDevice(device, device_id);
          sample = rest;
        }
        const r = o.ingest(device.device_id, sample);
        o.devices.markSeen(device.device_id);
        return sendJson(res, 202, { status: 'accepted', device_id: device.device_id, ...r });
      }
      default:
        throw notFound();
    }
  };

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    res.setHeader('X-Request-Id', requestId);
    const url = new URL(req.url ?? '/', 'http://device-listener');
    route(req, res, url).catch((err: unknown) => sendError(res, err, requestId));
  });
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
