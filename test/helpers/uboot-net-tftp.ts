import { TftpServer } from '../../src/main/core/transfer/tftp-server';

/**
 * Rigger's TFTP server run inside the test's network namespace (a process cannot enter one
 * itself): `ip netns exec NS node --import tsx uboot-net-tftp.ts '{"address":..,"files":{..}}'`.
 * Prints `ready PORT`, then one JSON line per transfer event; takes `register NAME PATH` and
 * `unregister NAME` lines on stdin; stops on SIGTERM or stdin's end.
 */
async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as {
    address: string;
    port?: number;
    windowsize?: number;
    files: Record<string, string>;
  };
  const server = await TftpServer.start({
    address: cfg.address,
    port: cfg.port ?? 69,
    maxWindowsize: cfg.windowsize,
    onTransfer: (e) => process.stdout.write(`${JSON.stringify(e)}\n`),
  });
  for (const [name, path] of Object.entries(cfg.files)) server.register(name, { path });
  process.stdout.write(`ready ${server.port}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  // Chunks a flash serves one at a time: `register NAME PATH` / `unregister NAME`, each answered.
  let buf = '';
  process.stdin.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const [verb, name, path] = buf.slice(0, nl).split(' ');
      buf = buf.slice(nl + 1);
      if (verb === 'register' && name && path) server.register(name, { path });
      if (verb === 'unregister' && name) server.unregister(name);
      process.stdout.write(`${verb}ed ${name}\n`);
    }
  });
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
