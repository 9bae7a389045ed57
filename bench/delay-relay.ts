import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP relay that holds every chunk for `delayMs` each way (a separate process: the bench
 * blocks its own event loop while it times a command). Stands in for `tc netem delay`, which
 * this kernel lacks. Usage: delay-relay.ts LISTEN_HOST LISTEN_PORT TARGET_PORT DELAY_MS.
 */
const [host, port, target, delay] = process.argv.slice(2);
const delayMs = Number(delay);

function pipeDelayed(from: Socket, to: Socket): void {
  // Equal delays fire in order, so the byte stream keeps its order.
  from.on('data', (d) => {
    if (delayMs > 0) setTimeout(() => to.write(d), delayMs);
    else to.write(d);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
  from.on('error', () => to.destroy());
}

createServer((client) => {
  client.setNoDelay(true);
  const server = createConnection({ host: '127.0.0.1', port: Number(target) });
  server.setNoDelay(true);
  pipeDelayed(client, server);
  pipeDelayed(server, client);
})
  .listen(Number(port), host, () => process.stdout.write('ready\n'))
  .on('error', (err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  });
