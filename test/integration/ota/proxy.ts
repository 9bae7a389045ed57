import { createServer, Socket, type Server } from 'node:net';

/**
 * A TCP proxy in front of the sim's sshd that plays a bad link: it cuts a connection once it
 * has carried the next armed number of bytes upstream, can slow the link down, and can freeze it
 * (nothing moves either way, no error either: a hung sshd or a pulled cable).
 */
export async function startProxy(
  target: { host: string; port: number },
  opts: { bytesPerSecond?: number } = {},
) {
  const pending: number[] = [];
  const sockets = new Set<Socket>();
  let cutsDone = 0;
  let downUntil = 0;
  let frozen = false;
  /** Let a socket read again, unless the link is frozen (thaw resumes it then). */
  const go = (s: Socket) => {
    if (!frozen) s.resume();
  };
  const server: Server = createServer((client) => {
    if (Date.now() < downUntil) {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    if (frozen) client.pause();
    sockets.add(client);
    sockets.add(upstream);
    let carried = 0;
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d: Buffer) => {
      carried += d.length;
      if (pending[0] !== undefined && carried > pending[0]) {
        pending.shift();
        cutsDone++;
        kill();
        return;
      }
      const ok = upstream.write(d);
      if (opts.bytesPerSecond) {
        // A slow link: hold the sender for as long as these bytes take at the given rate.
        client.pause();
        setTimeout(() => ok && go(client), (1000 * d.length) / opts.bytesPerSecond);
      } else if (!ok) client.pause();
    });
    upstream.on('drain', () => go(client));
    upstream.on('data', (d: Buffer) => client.write(d));
    upstream.on('connect', () => frozen && upstream.pause());
    client.on('close', kill);
    upstream.on('close', kill);
    client.on('error', kill);
    upstream.on('error', kill);
    upstream.connect(target.port, target.host);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    get cutsDone() {
      return cutsDone;
    },
    /** Cut every open connection now, and refuse new ones for `refuseMs` (the link is down). */
    cutAll(refuseMs = 0) {
      downUntil = Date.now() + refuseMs;
      for (const s of sockets) s.destroy();
      cutsDone++;
    },
    /** Freeze every connection, open and new: bytes wait in the kernel, nothing is closed. */
    freeze() {
      frozen = true;
      for (const s of sockets) s.pause();
    },
    /** Let the frozen link move again. */
    thaw() {
      frozen = false;
      for (const s of sockets) if (!s.destroyed) s.resume();
    },
    /** Arm more cuts for connections opened from now on. */
    cut(...bytes: number[]) {
      pending.push(...bytes);
    },
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
