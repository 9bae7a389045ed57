import type { Socket } from 'node:dgram';
import { dataPacket, errorPacket, oackPacket, OP, parsePacket, TFTP_ERROR } from './tftp-packets';
import type { Negotiated, TftpPacket } from './tftp-packets';

/** Where a served file's bytes come from: read at an offset, so nothing is held in memory. */
export interface TftpSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export interface Peer {
  address: string;
  port: number;
}

export interface SessionResult {
  bytes: number;
  blocks: number;
  retransmits: number;
}

/** Why a transfer ended before its last block was acknowledged. */
export class TftpAbort extends Error {}

/**
 * One read transfer on its own socket (its TID): the OACK when options were accepted, then
 * windows of DATA blocks (RFC 7440; a window of 1 is plain RFC 1350), each window resent from
 * the last acknowledged block on timeout, up to `retries` times in a row.
 */
export class TftpSession {
  private queue: TftpPacket[] = [];
  private wake: (() => void) | null = null;
  private closed: string | null = null;
  retransmits = 0;

  constructor(
    private readonly socket: Socket,
    private readonly peer: Peer,
    private readonly source: TftpSource,
    private readonly neg: Negotiated,
    private readonly retries: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      if (rinfo.address !== peer.address || rinfo.port !== peer.port) {
        // RFC 1350: a packet from another TID gets an error and does not disturb this transfer.
        socket.send(
          errorPacket(TFTP_ERROR.UNKNOWN_TID, 'Unknown transfer ID'),
          rinfo.port,
          rinfo.address,
        );
        return;
      }
      const p = parsePacket(msg);
      if (!p) return;
      this.queue.push(p);
      this.wake?.();
    });
  }

  /** End the transfer from outside (server stopping): the pending wait rejects. */
  abort(reason: string): void {
    this.closed = reason;
    this.wake?.();
  }

  private lastSend: Promise<void> = Promise.resolve();

  private send(buf: Buffer): void {
    this.lastSend = new Promise((resolve) =>
      this.socket.send(buf, this.peer.port, this.peer.address, () => resolve()),
    );
  }

  /** Resolves once the last packet (an ERROR, say) has left: close the socket only then. */
  flushed(): Promise<void> {
    return this.lastSend;
  }

  /** The next packet from the peer, or null after `timeoutMs`. */
  private next(timeoutMs: number): Promise<TftpPacket | null> {
    if (this.closed) return Promise.reject(new TftpAbort(this.closed));
    const p = this.queue.shift();
    if (p) return Promise.resolve(p);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(null);
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        if (this.closed) reject(new TftpAbort(this.closed));
        else resolve(this.queue.shift() ?? null);
      };
    });
  }

  /** A packet the transfer cannot go on after: the client's error, or a write in a read. */
  private fatal(p: TftpPacket): never {
    if (p.op === OP.ERROR)
      throw new TftpAbort(`client ended the transfer: ${p.message} (${p.code})`);
    this.send(errorPacket(TFTP_ERROR.ILLEGAL_OPERATION, 'Illegal TFTP operation'));
    throw new TftpAbort(`client sent opcode ${p.op} during a read`);
  }

  /** Send the OACK until the client acknowledges it with ACK 0. */
  private async negotiate(): Promise<void> {
    const oack = oackPacket(this.neg.accepted);
    for (let tries = 0; ; tries++) {
      if (tries > this.retries) throw this.timedOut();
      if (tries > 0) this.retransmits++;
      this.send(oack);
      const deadline = Date.now() + this.neg.timeoutMs;
      for (;;) {
        const p = await this.next(Math.max(0, deadline - Date.now()));
        if (!p) break;
        if (p.op === OP.ACK && p.block === 0) return;
        if (p.op === OP.ACK) continue;
        this.fatal(p);
      }
    }
  }

  private timedOut(): TftpAbort {
    this.send(errorPacket(TFTP_ERROR.NOT_DEFINED, 'Timed out waiting for the client'));
    return new TftpAbort(`no answer from ${this.peer.address}:${this.peer.port}`);
  }

  /** Run the transfer to its last acknowledged block. */
  async run(): Promise<SessionResult> {
    const { blksize, windowsize } = this.neg;
    if (Object.keys(this.neg.accepted).length > 0) await this.negotiate();
    // The last block is the first one shorter than blksize (empty when the size is a multiple).
    const last = Math.floor(this.source.size / blksize) + 1;
    let acked = 0;
    let tries = 0;
    while (acked < last) {
      const upTo = Math.min(acked + windowsize, last);
      const chunk = await this.source.read(acked * blksize, (upTo - acked) * blksize);
      if (tries > 0) this.retransmits += upTo - acked;
      for (let b = acked + 1; b <= upTo; b++) {
        const at = (b - acked - 1) * blksize;
        this.send(dataPacket(b, chunk.subarray(at, Math.min(at + blksize, chunk.length))));
      }
      const moved = await this.awaitAck(acked, upTo);
      if (moved > acked) {
        acked = moved;
        tries = 0;
      } else if (++tries > this.retries) {
        throw this.timedOut();
      }
    }
    return { bytes: this.source.size, blocks: last, retransmits: this.retransmits };
  }

  /**
   * Wait for the ACK of a block in (acked, sent]: the highest one acknowledged, or `acked` when
   * the window must be sent again (timeout, or in a window the client's repeat of `acked`).
   */
  private async awaitAck(acked: number, sent: number): Promise<number> {
    const deadline = Date.now() + this.neg.timeoutMs;
    for (;;) {
      const p = await this.next(Math.max(0, deadline - Date.now()));
      if (!p) return acked;
      if (p.op !== OP.ACK) this.fatal(p);
      // Block numbers wrap at 65536; the window is never longer than that.
      const ahead = (p.block - (acked & 0xffff) + 0x10000) & 0xffff;
      if (ahead >= 1 && ahead <= sent - acked) return acked + ahead;
      // A repeat of the last ACK: with one block per window it is a delayed duplicate, which must
      // not trigger a resend (the Sorcerer's Apprentice bug); in a window it asks for one.
      if (ahead === 0 && this.neg.windowsize > 1) return acked;
    }
  }
}
