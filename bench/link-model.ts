import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import { join } from 'node:path';

/** A shaped link: rate in Mbit/s and round trip in ms. */
export interface LinkShape {
  mbit: number;
  rttMs: number;
}

export interface LinkModel {
  /** The laptop side's namespace: run the client there (`ip netns exec NS ...`). */
  ns: string;
  /** The gateway's address and port as seen from the namespace. */
  host: string;
  port: number;
  /** Wrap a shell command to run on the laptop side of the link. */
  wrap(script: string): string;
  stop(): Promise<void>;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

/** How the link is modelled, for the bench's output. */
export const LINK_METHOD =
  'laptop side in its own network namespace behind a veth pair, rate shaped by tc tbf on both ends; ' +
  "this kernel has no netem, so the round trip is added by a relay (bench/delay-relay.ts) in front of the test gateway's sshd";

/**
 * A real link between the laptop and the test gateway (root only): a network namespace for the
 * laptop side, a veth pair into it with the rate shaped by `tc tbf` on both ends, and a relay
 * from the root end of the veth to the test gateway's sshd on 127.0.0.1 that holds each chunk
 * half the round trip each way (`tc netem` is not in this kernel).
 */
export async function startLinkModel(sshPort: number, shape: LinkShape): Promise<LinkModel> {
  const tag = randomBytes(2).toString('hex');
  const ns = `rg-link-${tag}`;
  // Its own /30 too: two benches (or a leftover namespace) never share an address.
  const net = `10.77.${1 + (parseInt(tag, 16) % 250)}`;
  const host = `${net}.1`;
  const hostDev = `rgl${tag}h`;
  const nsDev = `rgl${tag}c`;
  let relay: ChildProcess | null = null;
  const teardown = () => {
    relay?.kill('SIGKILL');
    try {
      ip('link', 'del', hostDev);
    } catch {
      // gone with the namespace
    }
    try {
      ip('netns', 'del', ns);
    } catch {
      // never made
    }
  };
  try {
    ip('netns', 'add', ns);
    ip('link', 'add', hostDev, 'type', 'veth', 'peer', 'name', nsDev);
    ip('link', 'set', nsDev, 'netns', ns);
    ip('addr', 'add', `${host}/30`, 'dev', hostDev);
    ip('link', 'set', hostDev, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${net}.2/30`, 'dev', nsDev);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', nsDev, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    // The bucket holds a few ms of data at the rate; the queue 200 ms, as a real link's buffer.
    const burst = `${Math.max(16, Math.round((shape.mbit * 1000) / 8 / 250))}kb`;
    const tbf = ['tbf', 'rate', `${shape.mbit}mbit`, 'burst', burst, 'latency', '200ms'];
    execFileSync('tc', ['qdisc', 'add', 'dev', hostDev, 'root', ...tbf]);
    execFileSync('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', nsDev, 'root', ...tbf]);
    const port = 2222;
    relay = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'delay-relay.ts'),
        host,
        String(port),
        String(sshPort),
        String(shape.rttMs / 2),
      ],
      { stdio: 'ignore' },
    );
    await waitListening(host, port);
    return {
      ns,
      host,
      port,
      wrap: (script) => `ip netns exec ${ns} bash -o pipefail -c ${JSON.stringify(script)}`,
      stop: async () => teardown(),
    };
  } catch (err) {
    teardown();
    throw err;
  }
}

async function waitListening(host: string, port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host, port }, () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`link relay did not listen on ${host}:${port}`);
}
