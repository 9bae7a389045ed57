import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * Ports for the test peers (sshd, mosquitto, s3rver) when test files run side by side.
 *
 * Asking the kernel for a port (listen on 0, close) and binding it later races: between the
 * close and the bind, or while a peer is down and comes back "on the same port" (a power
 * cycle, a broker restart), any other process may be handed that port, as a listener on port 0
 * or as the local end of an outgoing connection. So peers get ports below the kernel's
 * ephemeral range, which the kernel never hands out by itself, and each port is claimed by a
 * lock file naming the claiming process, so two test files (or two checkouts on one machine)
 * never pick the same one. A claim lasts until the process ends; a claim whose process is gone
 * is taken over. A test bind makes sure nothing else on the machine listens there.
 */

/**
 * The ports to pick from: 20000-32767, below the kernel's default ephemeral range
 * (net.ipv4.ip_local_port_range 32768 60999); RIGGER_TEST_PORTS=FIRST-LAST sets another.
 */
function range(): { first: number; last: number } {
  const m = /^(\d+)-(\d+)$/.exec(process.env.RIGGER_TEST_PORTS ?? '');
  if (!m) return { first: 20_000, last: 32_767 };
  const [first, last] = [Number(m[1]), Number(m[2])];
  if (first < 1024 || last > 65_535 || first > last)
    throw new Error(
      `RIGGER_TEST_PORTS=${process.env.RIGGER_TEST_PORTS}: not a range in 1024-65535`,
    );
  return { first, last };
}
const CLAIMS = join(tmpdir(), 'rigger-test-ports');
const mine = new Set<number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Claim `port` for this process by creating its lock file; false if another live process has it. */
function claim(port: number): boolean {
  const file = join(CLAIMS, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(readFileSync(file, 'utf8'));
      } catch {
        // Released while we looked: try again.
      }
      // A claim being written has no pid yet: leave it to its writer.
      if (!Number.isInteger(owner) || owner <= 0 || alive(owner)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Give back this process's ports, once nothing of it listens on them any more (the integration
 * projects' setup file calls it after each file; a claim left by a killed process is taken over).
 */
export function releasePorts(): void {
  for (const port of mine) rmSync(join(CLAIMS, String(port)), { force: true });
  mine.clear();
}

/**
 * A port on 127.0.0.1 that no other test process will be given and nothing listens on, kept for
 * this process until it ends: a peer may stop and listen on it again.
 */
export async function freePort(): Promise<number> {
  mkdirSync(CLAIMS, { recursive: true });
  // Outside vitest (the gateway-sim CLI, the benchmarks) the claims go when the process ends.
  if (mine.size === 0) process.once('exit', releasePorts);
  const { first, last } = range();
  const span = last - first + 1;
  // Start at a different place in each process, so parallel files rarely contend for a claim.
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = first + ((start + i) % span);
    if (mine.has(port) || !claim(port)) continue;
    if (await bindable(port)) {
      mine.add(port);
      return port;
    }
    rmSync(join(CLAIMS, String(port)), { force: true });
  }
  throw new Error(`no free port in ${first}-${last} (claims in ${CLAIMS})`);
}

/** The ports this process holds, and every claim on the machine. */
export function portClaims(): { mine: number[]; all: number[] } {
  const all = readdirSync(CLAIMS).map(Number).filter(Number.isInteger);
  return { mine: [...mine].sort((a, b) => a - b), all: all.sort((a, b) => a - b) };
}
