import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ackPacket,
  OP,
  parsePacket,
  requestPacket,
  type TftpPacket,
} from '../../../../src/main/core/transfer/tftp-packets';
import { TftpServer, type TftpTransferEvent } from '../../../../src/main/core/transfer/tftp-server';

/**
 * The protocol details no stock client here exercises on demand (windows, lost ACKs, a
 * stranger's packets, a stop mid-transfer), driven by a UDP client in the test.
 */
const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

interface Client {
  socket: Socket;
  next(ms?: number): Promise<{ p: TftpPacket; port: number } | null>;
  send(buf: Buffer, port: number): void;
}

async function client(): Promise<Client> {
  const socket = createSocket('udp4');
  const queue: Array<{ p: TftpPacket; port: number }> = [];
  let wake: (() => void) | null = null;
  socket.on('message', (m, r) => {
    queue.push({ p: parsePacket(m)!, port: r.port });
    wake?.();
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  open.push({ close: () => socket.close() });
  return {
    socket,
    send: (buf, port) => socket.send(buf, port, '127.0.0.1'),
    next: (ms = 3000) =>
      new Promise((resolve) => {
        if (queue.length) return resolve(queue.shift()!);
        const t = setTimeout(() => {
          wake = null;
          resolve(null);
        }, ms);
        wake = () => {
          clearTimeout(t);
          wake = null;
          resolve(queue.shift()!);
        };
      }),
  };
}

async function server(data: Buffer, events: TftpTransferEvent[] = [], timeoutMs = 300) {
  const s = await TftpServer.start({
    address: '127.0.0.1',
    port: 0,
    timeoutMs,
    retries: 3,
    onTransfer: (e) => events.push(e),
  });
  s.register('img.bin', { data });
  open.push({ close: () => s.stop() });
  return s;
}

describe('TFTP server protocol', () => {
  it('negotiates blksize, tsize and windowsize, sends windows and finishes on the last ACK', async () => {
    const data = randomBytes(1000 * 10 + 5);
    const events: TftpTransferEvent[] = [];
    const s = await server(data, events);
    const c = await client();
    c.send(
      requestPacket(OP.RRQ, 'img.bin', 'octet', {
        blksize: '1000',
        tsize: '0',
        windowsize: '4',
        bogus: 'x',
      }),
      s.port,
    );
    const oack = await c.next();
    expect(oack?.p).toEqual({
      op: OP.OACK,
      options: { blksize: '1000', tsize: String(data.length), windowsize: '4' },
    });
    const tid = oack!.port;
    expect(tid).not.toBe(s.port);
    c.send(ackPacket(0), tid);
    const got: Buffer[] = [];
    for (let w = 0; w < 3; w++) {
      const blocks: number[] = [];
      for (let i = 0; i < 4 && got.length < 11; i++) {
        const d = (await c.next())!.p;
        if (d.op !== OP.DATA) throw new Error('expected DATA');
        blocks.push(d.block);
        got.push(d.data);
      }
      // One window per ACK: nothing more comes until the client acknowledges it.
      expect(await c.next(100)).toBeNull();
      c.send(ackPacket(blocks[blocks.length - 1]!), tid);
    }
    expect(Buffer.concat(got).equals(data)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.at(-1)).toMatchObject({ status: 'done', bytes: data.length, retransmits: 0 });
  });

  it('resends from the last acknowledged block when an ACK is lost, without duplicate resends', async () => {
    const data = randomBytes(512 * 3 + 1);
    const events: TftpTransferEvent[] = [];
    const s = await server(data, events);
    const c = await client();
    c.send(requestPacket(OP.RRQ, 'img.bin'), s.port); // no options: no OACK, plain RFC 1350
    const first = await c.next();
    expect(first?.p).toMatchObject({ op: OP.DATA, block: 1 });
    // Say nothing: the server times out and sends block 1 again.
    const again = await c.next(2000);
    expect(again?.p).toMatchObject({ op: OP.DATA, block: 1 });
    c.send(ackPacket(1), first!.port);
    c.send(ackPacket(1), first!.port); // a late duplicate must not cause a second block 2
    expect((await c.next())?.p).toMatchObject({ op: OP.DATA, block: 2 });
    expect(await c.next(150)).toBeNull();
    for (const b of [2, 3]) {
      c.send(ackPacket(b), first!.port);
      const d = (await c.next())!.p;
      expect(d).toMatchObject({ op: OP.DATA, block: b + 1 });
    }
    c.send(ackPacket(4), first!.port);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.at(-1)).toMatchObject({ status: 'done', retransmits: 1 });
  });

  it('gives up after its retries with an error packet, and tells a stranger it has the wrong TID', async () => {
    const events: TftpTransferEvent[] = [];
    const s = await server(randomBytes(2000), events, 100);
    const c = await client();
    const stranger = await client();
    c.send(requestPacket(OP.RRQ, 'img.bin'), s.port);
    const first = await c.next();
    stranger.send(ackPacket(1), first!.port);
    expect((await stranger.next())?.p).toMatchObject({ op: OP.ERROR, code: 5 });
    let last: TftpPacket | undefined;
    for (let i = 0; i < 6; i++) {
      const n = await c.next(1000);
      if (!n) break;
      last = n.p;
      if (last.op === OP.ERROR) break;
    }
    expect(last).toMatchObject({ op: OP.ERROR, code: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect(events.at(-1)).toMatchObject({ status: 'failed', retransmits: 3 });
  });

  it('ends a transfer under way when stopped, and answers no more', async () => {
    const events: TftpTransferEvent[] = [];
    const s = await server(randomBytes(5000), events, 5000);
    const c = await client();
    c.send(requestPacket(OP.RRQ, 'img.bin'), s.port);
    expect((await c.next())?.p).toMatchObject({ op: OP.DATA, block: 1 });
    await s.stop();
    await new Promise((r) => setTimeout(r, 50));
    expect(events.at(-1)).toMatchObject({ status: 'failed', error: 'server stopped' });
    c.send(requestPacket(OP.RRQ, 'img.bin'), s.port);
    expect(await c.next(300)).toBeNull();
  });

  it('answers a malformed request with Illegal operation', async () => {
    const s = await server(Buffer.from('x'));
    const c = await client();
    c.send(Buffer.from([0, 1, 0x41, 0x42]), s.port); // RRQ without its NUL terminators
    expect((await c.next())?.p).toMatchObject({ op: OP.ERROR, code: 4 });
  });
});
