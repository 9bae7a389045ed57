import { isIP } from 'node:net';
import { RiggerError } from '../../../shared/errors';

/**
 * `ADDR:PORT` of `rigger serve --device-listen` (`0.0.0.0:8220`, `[::]:8220`, `192.168.10.5:8220`).
 * Only an IP address: a host name could resolve to a different interface than the one meant.
 */
export function parseListenAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text.trim());
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || !host || !isIP(host) || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new RiggerError(
      'VALIDATION_ERROR',
      `"${text}" is not ADDR:PORT (an IP address and a port 1-65535)`,
      { value: text },
      ['Write it as 0.0.0.0:8220 for every interface, or the address of the site network'],
    );
  return { host, port };
}
