import { RiggerError } from '../../../shared/errors';
import type { UBootDriver } from '../serial/uboot-driver';
import { sendYmodem } from '../transports/ymodem';
import { escapeRegExp } from '../util/regex';
import type { TftpFile } from './tftp-server';
import { hasCommand, setNetAddresses, tftpboot, type UBootNetAddresses } from './uboot-net';

export interface RecoveryPath {
  via: 'tftp' | 'ymodem';
  /** Whether U-Boot can write gzip chunks itself (then chunks travel compressed). */
  gzwrite: boolean;
  /** Why this path, in one sentence for the user. */
  reason: string;
}

/**
 * Pick the way a bricked gateway is flashed from U-Boot: TFTP when the profile says how to
 * address the board, U-Boot has `tftpboot` and the laptop answers its `ping`; else YMODEM over
 * the console, saying why. Sets the addresses in RAM only (never saveenv).
 */
export async function probeRecoveryPath(
  uboot: UBootDriver,
  net: UBootNetAddresses | undefined,
  compress = true,
): Promise<RecoveryPath> {
  const gz = compress && (await hasCommand(uboot, 'gzwrite'));
  const ymodem = (why: string): RecoveryPath => ({
    via: 'ymodem',
    gzwrite: gz,
    reason: `YMODEM over the console: ${why}`,
  });
  if (!net) return ymodem("the gateway's profile has no console.net addresses");
  if (!(await hasCommand(uboot, 'tftpboot'))) return ymodem('this U-Boot has no tftpboot');
  await setNetAddresses(uboot, net);
  const r = await uboot.run(`ping ${net.laptop_ip}`, 30_000);
  if (!/is alive/.test(r.output)) {
    return ymodem(`no answer from the laptop (${net.laptop_ip}) on the gateway's network port`);
  }
  return {
    via: 'tftp',
    gzwrite: gz,
    reason: `TFTP: the gateway reaches the laptop at ${net.laptop_ip}${gz ? '; chunks travel gzip-compressed and gzwrite writes them' : compress ? '; this U-Boot has no gzwrite, so chunks travel raw' : '; chunks travel raw, as asked'}`,
  };
}

/** Where the job's chunks are served from: Rigger's TftpServer, or anything that registers alike. */
export interface ChunkServer {
  register(name: string, file: TftpFile): void | Promise<void>;
  unregister(name: string): void | Promise<void>;
}

/** How a chunk gets into U-Boot's RAM; resolves with the bytes U-Boot says arrived. */
export interface ChunkLoader {
  via: 'tftp' | 'ymodem';
  load(name: string, payload: Buffer, address: string): Promise<number>;
}

/** Chunks over TFTP: served under their made-up name only while U-Boot fetches them. */
export function tftpLoader(uboot: UBootDriver, server: ChunkServer): ChunkLoader {
  return {
    via: 'tftp',
    load: async (name, payload, address) => {
      await server.register(name, { data: payload });
      try {
        return (await tftpboot(uboot, address, name)).bytes;
      } finally {
        await server.unregister(name);
      }
    },
  };
}

/** U-Boot's last words, for a message: its final non-empty lines. */
function lastLines(out: string): string {
  const lines = out
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.trim());
  return (
    lines
      .filter((l) => l && !/^=>/.test(l))
      .slice(-2)
      .join(' / ') || '(nothing)'
  );
}

/** Chunks over the console: `loady`, then Rigger's YMODEM-1K sender (`onProgress`: bytes sent). */
export function ymodemLoader(
  uboot: UBootDriver,
  opts: { onProgress?: (sent: number) => void; signal?: AbortSignal } = {},
): ChunkLoader {
  return {
    via: 'ymodem',
    load: async (name, payload, address) => {
      const { received, from } = await uboot.loady(address);
      await sendYmodem(uboot.link, {
        name,
        data: payload,
        received,
        startTimeoutMs: 20_000,
        headerGraceMs: 0,
        ...opts,
      });
      const prompt = escapeRegExp(uboot.prompt.trim());
      const out = await uboot.link.waitFor(
        new RegExp(`\\n${prompt} ?$`),
        from,
        120_000,
        'prompt after loady',
      );
      const size = /Total Size\s*=\s*0x[0-9a-f]+\s*=\s*(\d+) Bytes/i.exec(out);
      if (!size) {
        throw new RiggerError(
          'COMMAND_FAILED',
          `U-Boot's loady did not take ${name}: ${lastLines(out)}`,
          { command: `loady ${address}`, output: out.slice(-800) },
          ['Resume the flash: proven chunks are kept'],
        );
      }
      return Number(size[1]);
    },
  };
}

/**
 * Whether U-Boot's `tftpboot` reaches the job's server on its port: a few bytes fetched under a
 * made-up name, with short TFTP timeouts (set in RAM, put back after). A U-Boot built without
 * CONFIG_TFTP_PORT ignores `tftpdstp` and asks port 69: then this says why, in one sentence.
 */
export async function probeTftp(
  uboot: UBootDriver,
  server: ChunkServer,
  port: number,
  address: string,
): Promise<{ ok: true } | { ok: false; why: string }> {
  const name = `rg-probe-${Date.now().toString(36)}.bin`;
  const env = await uboot.printenv();
  // Three tries of a second each: enough for a lost first packet, short when nobody answers.
  await uboot.setenv('tftptimeout', '1000');
  await uboot.setenv('tftptimeoutcountmax', '2');
  await server.register(name, { data: Buffer.from('rigger tftp probe\n') });
  try {
    await tftpboot(uboot, address, name, 60_000);
    return { ok: true };
  } catch (err) {
    const msg = (err as Error).message.replace(/^U-Boot: /, '');
    return {
      ok: false,
      why:
        port === 69 || !/no answer/.test(msg)
          ? `tftpboot failed on port ${port}: ${msg}`
          : `U-Boot answers ping but its tftpboot never reached port ${port}: this U-Boot ignores tftpdstp (built without CONFIG_TFTP_PORT) and asks port 69 only; flash with --tftp-port 69 (Rigger then needs root or CAP_NET_BIND_SERVICE)`,
    };
  } finally {
    await server.unregister(name);
    await uboot.setenv('tftptimeout', env.tftptimeout ?? '');
    await uboot.setenv('tftptimeoutcountmax', env.tftptimeoutcountmax ?? '');
  }
}
