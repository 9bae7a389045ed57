/**
 * YMODEM-1K sender over any duplex byte stream (serial port, pty, socket).
 * Receivers it is written for: lrzsz `rz` and U-Boot's `loady`.
 */
import { RiggerError } from '../../../shared/errors';

const SOH = 0x01;
const STX = 0x02;
const EOT = 0x04;
const ACK = 0x06;
const NAK = 0x15;
const CAN = 0x18;
const C = 0x43;
const PAD = 0x1a;

/** The two halves of a byte stream the sender needs. */
export interface ByteStream {
  write(data: Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

/** What to send and how patiently. */
export interface YmodemOptions {
  name: string;
  data: Buffer;
  /** Per-block wait for ACK/NAK; U-Boot answers within a second. */
  blockTimeoutMs?: number;
  /** Wait for the receiver's first 'C'; a human may still be typing `loady`. */
  startTimeoutMs?: number;
  /**
   * After block 0's ACK, how long a 'C' may take before block 1 goes anyway. rz sends it with
   * the ACK; U-Boot's `loady` never does (it waits for block 1 right after its ACK, and asks
   * again only after a 2 s timeout and a 2 s flush that drops whatever arrives meanwhile), so its
   * loader passes 0.
   */
  headerGraceMs?: number;
  retries?: number;
  onProgress?: (sentBytes: number, totalBytes: number) => void;
  signal?: AbortSignal;
  /**
   * Bytes the receiver already sent before the sender started listening (the first 'C' of
   * `loady` often comes with its banner): without them the sender waits for the next 'C'.
   */
  received?: Buffer;
}

/** CRC-16/XMODEM (poly 0x1021, init 0), as YMODEM's CRC mode uses. */
export function crc16(buf: Buffer): number {
  let crc = 0;
  for (const byte of buf) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** One framed block: header, seq, ~seq, payload padded to its size, CRC big-endian. */
export function frameBlock(seq: number, payload: Buffer, size: 128 | 1024, pad = PAD): Buffer {
  const body = Buffer.alloc(size, pad);
  payload.copy(body);
  const out = Buffer.alloc(3 + size + 2);
  out[0] = size === 1024 ? STX : SOH;
  out[1] = seq & 0xff;
  out[2] = ~seq & 0xff;
  body.copy(out, 3);
  out.writeUInt16BE(crc16(body), 3 + size);
  return out;
}

/** Block 0: "name\0size\0", zero-padded; an all-zero block 0 ends the batch. */
export function headerBlock(name: string, size: number): Buffer {
  const info = Buffer.from(`${name}\0${size}\0`, 'latin1');
  return frameBlock(0, info, info.length > 128 ? 1024 : 128, 0);
}

/** Reads single control bytes from the stream, ignoring line noise between them. */
class Reader {
  private queue: number[] = [];
  private wake: (() => void) | null = null;
  private readonly listener = (chunk: Buffer): void => {
    for (const b of chunk) this.queue.push(b);
    this.wake?.();
  };
  constructor(private readonly stream: ByteStream) {
    stream.on('data', this.listener);
  }
  close(): void {
    this.stream.off('data', this.listener);
  }
  /** Bytes that arrived before this reader listened. */
  seed(bytes: Buffer): void {
    for (const b of bytes) this.queue.push(b);
  }
  /** Drop stale bytes, e.g. extra 'C's sent while the receiver waited. */
  flush(): void {
    this.queue = [];
  }
  /** Next byte among `wanted`, or null on timeout; CAN CAN always returns CAN. */
  async next(wanted: number[], timeoutMs: number): Promise<number | null> {
    const deadline = Date.now() + timeoutMs;
    let cans = 0;
    for (;;) {
      while (this.queue.length > 0) {
        const b = this.queue.shift() as number;
        if (b === CAN) {
          if (++cans >= 2) return CAN;
          continue;
        }
        cans = 0;
        if (wanted.includes(b)) return b;
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          resolve();
        };
      });
    }
  }
}

function fail(message: string, details: Record<string, unknown>): RiggerError {
  return new RiggerError('COMMAND_FAILED', message, details, [
    'Check the cable and the baud rate, then start the transfer again',
    'Make sure the receiver (loady or rz) is waiting before sending',
  ]);
}

/** Sends one file with YMODEM-1K; resolves when the receiver ACKed the end of batch. */
export async function sendYmodem(stream: ByteStream, opts: YmodemOptions): Promise<void> {
  const blockTimeout = opts.blockTimeoutMs ?? 3000;
  const retries = opts.retries ?? 10;
  const total = opts.data.length;
  const reader = new Reader(stream);
  if (opts.received?.length) reader.seed(opts.received);
  const cancel = (): void => void stream.write(Buffer.from([CAN, CAN, CAN, CAN, CAN]));

  // Sends a block until ACKed; after each NAK (U-Boot's is a 'C': `cNaks`) or timeout it is
  // sent again.
  const sendBlock = async (block: Buffer, where: string, cNaks = false): Promise<void> => {
    const answers = cNaks ? [ACK, NAK, C] : [ACK, NAK];
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (opts.signal?.aborted) {
        cancel();
        throw fail(`YMODEM transfer cancelled at ${where}`, { where });
      }
      stream.write(block);
      const answer = await reader.next(answers, blockTimeout);
      if (answer === ACK) return;
      if (answer === CAN)
        throw fail(`The receiver cancelled the YMODEM transfer at ${where}`, { where });
    }
    cancel();
    throw fail(`YMODEM ${where} was not acknowledged after ${retries + 1} tries`, {
      where,
      retries,
    });
  };

  try {
    const first = await reader.next([C], opts.startTimeoutMs ?? 60_000);
    if (first !== C) {
      if (first === CAN)
        throw fail('The receiver cancelled before the YMODEM transfer started', {});
      throw fail('The receiver never asked for a YMODEM transfer', {});
    }
    // More 'C's queued while the receiver waited are stale: block 0 answers them all.
    reader.flush();
    await sendBlock(headerBlock(opts.name, total), 'block 0 (file name and size)');
    // rz asks again with 'C' before block 1; U-Boot does not. A 'C' that comes after block 1
    // went is harmless: data blocks wait for ACK or NAK only.
    const grace = opts.headerGraceMs ?? 100;
    const asked = grace > 0 ? await reader.next([C], grace) : null;
    if (asked === CAN) throw fail('The receiver cancelled after block 0', {});
    // A 'C' is a NAK for a data block, unless it may still be rz's late ask for block 1.
    let cNaks = grace === 0 || asked === C;
    let seq = 1;
    for (let offset = 0; offset < total; seq++) {
      // Tail shorter than 128 bytes goes in a 128-byte block, as sz does: less padding on the wire.
      const size: 128 | 1024 = total - offset > 128 ? 1024 : 128;
      const payload = opts.data.subarray(offset, offset + size);
      reader.flush();
      await sendBlock(
        frameBlock(seq, payload, size),
        `block ${seq} (byte ${offset} of ${total})`,
        cNaks,
      );
      cNaks = true;
      offset += payload.length;
      opts.onProgress?.(offset, total);
    }
    // EOT: rz NAKs the first one by design, U-Boot ACKs at once.
    let ended = false;
    for (let attempt = 0; attempt <= retries && !ended; attempt++) {
      stream.write(Buffer.from([EOT]));
      ended = (await reader.next([ACK, NAK], blockTimeout)) === ACK;
    }
    if (!ended) throw fail('The receiver did not acknowledge the end of the file', { total });
    // Every data byte and the EOT are acknowledged: the file is delivered. The empty block 0
    // only ends the batch; a receiver that exits right after it (rz) may close the line before
    // its ACK reaches us, so a missing ACK here is not a failure. An explicit CAN still is.
    await reader.next([C], blockTimeout);
    stream.write(frameBlock(0, Buffer.alloc(0), 128, 0));
    if ((await reader.next([ACK, NAK], blockTimeout)) === CAN) {
      throw fail(
        'The receiver cancelled at the end of the batch, after the whole file was acknowledged',
        { total },
      );
    }
  } finally {
    reader.close();
  }
}
