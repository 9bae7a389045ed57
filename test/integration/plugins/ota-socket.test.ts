import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachOtaNamespace, TERMINAL_EVENT } from '../../../src/main/core/plugins/ota-socket';
import { createPluginService, type PluginService } from '../../../src/main/core/plugins/service';
import type { TerminalLine } from '../../../src/shared/plugins';
import { startGatewaySim, type GatewaySim } from '../../gateway-sim';
import { makeSigningKey, pluginZip, writeZip } from '../../unit/core/plugins/plugin-zip';
import { pluginDeps } from './setup';

const TOKEN = 'socket-token-41c9';
const key = makeSigningKey();

describe('the /ota-update namespace streams terminal output', () => {
  let sim: GatewaySim;
  let svc: PluginService;
  let ctx: ReturnType<typeof pluginDeps>;
  let http: HttpServer;
  let io: Server;
  let url: string;
  const clients: Socket[] = [];

  beforeAll(async () => {
    sim = await startGatewaySim({ plugins: {} });
    ctx = pluginDeps(sim, key.anchors);
    svc = createPluginService(ctx.deps);
    http = createServer();
    io = new Server(http);
    attachOtaNamespace(io, { ...svc, lines: svc.lines, checkToken: (t) => t === TOKEN });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/ota-update`;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await new Promise((r) => io?.close(r));
    for (const s of ctx?.sessions ?? []) await s.close();
    await sim?.stop();
  });

  const open = (auth: Record<string, string>, query?: Record<string, string>) => {
    const c = connect(url, { auth, query, transports: ['websocket'], reconnection: false });
    clients.push(c);
    return c;
  };

  it('refuses a client without the token', async () => {
    const err = await new Promise<Error>((r) => open({ token: 'wrong' }).on('connect_error', r));
    expect(err.message).toBe('Missing or wrong access token');
  });

  it('streams the gateway output of an install as it happens', async () => {
    const c = open({ token: TOKEN });
    await new Promise<void>((r) => c.on('connect', () => r()));
    const got: TerminalLine[] = [];
    c.on(TERMINAL_EVENT, (l: TerminalLine) => got.push(l));
    const zip = writeZip(
      join(tmpdir(), `rigger-sock-${process.pid}.zip`),
      await pluginZip({ key: key.privateKey }),
    );
    const start = svc.install('gw', zip);
    await svc.wait(start.update_id);
    await new Promise<void>((r) => {
      const t = setInterval(
        () => got.at(-1)?.line === 'Operation completed successfully' && (clearInterval(t), r()),
        20,
      );
    });
    const lines = got.filter((l) => l.update_id === start.update_id).map((l) => l.line);
    expect(lines).toContain('Starting plugin acs-zoning 1.0.0');
    expect(lines).toEqual(
      svc
        .terminal(start.update_id)!
        .lines()
        .map((l) => l.line),
    );

    // A client that comes late and names the update gets its lines so far.
    const late = open({ token: TOKEN }, { update_id: start.update_id });
    const replay: string[] = [];
    late.on(TERMINAL_EVENT, (l: TerminalLine) => replay.push(l.line));
    await new Promise<void>((r) => {
      const t = setInterval(() => replay.length === lines.length && (clearInterval(t), r()), 20);
    });
    expect(replay).toEqual(lines);
  });
});
