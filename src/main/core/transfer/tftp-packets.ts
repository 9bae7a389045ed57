/**
 * TFTP packets (RFC 1350) with option negotiation (RFC 2347): what the server reads from a
 * client and what it sends back. Pure: bytes in, values out.
 */

export const OP = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/** RFC 1350 error codes (and RFC 2347's 8). */
export const TFTP_ERROR = {
  NOT_DEFINED: 0,
  FILE_NOT_FOUND: 1,
  ACCESS_VIOLATION: 2,
  DISK_FULL: 3,
  ILLEGAL_OPERATION: 4,
  UNKNOWN_TID: 5,
  FILE_EXISTS: 6,
  NO_SUCH_USER: 7,
  OPTION_REFUSED: 8,
} as const;

/** Longest file name or option string a request may carry (a request is one small datagram). */
const MAX_FIELD = 512;

export interface TftpRequest {
  op: typeof OP.RRQ | typeof OP.WRQ;
  filename: string;
  mode: string;
  /** Option names lower-cased (RFC 2347: case-insensitive), values as sent. */
  options: Record<string, string>;
}

export type TftpPacket =
  | TftpRequest
  | { op: typeof OP.DATA; block: number; data: Buffer }
  | { op: typeof OP.ACK; block: number }
  | { op: typeof OP.ERROR; code: number; message: string }
  | { op: typeof OP.OACK; options: Record<string, string> };

/** NUL-terminated strings from `buf` starting at `at`; null when one is unterminated or too long. */
function strings(buf: Buffer, at: number): string[] | null {
  const out: string[] = [];
  while (at < buf.length) {
    const end = buf.indexOf(0, at);
    if (end < 0 || end - at > MAX_FIELD) return null;
    out.push(buf.toString('latin1', at, end));
    at = end + 1;
  }
  return out;
}

/** Parse one datagram; null for anything that is not a well-formed TFTP packet. */
export function parsePacket(buf: Buffer): TftpPacket | null {
  if (buf.length < 4) return null;
  const op = buf.readUInt16BE(0);
  if (op === OP.RRQ || op === OP.WRQ) {
    const parts = strings(buf, 2);
    if (!parts || parts.length < 2 || parts.length % 2 !== 0) return null;
    const options: Record<string, string> = {};
    for (let i = 2; i < parts.length; i += 2) options[parts[i]!.toLowerCase()] = parts[i + 1]!;
    return { op, filename: parts[0]!, mode: parts[1]!.toLowerCase(), options };
  }
  if (op === OP.DATA) return { op, block: buf.readUInt16BE(2), data: buf.subarray(4) };
  if (op === OP.ACK) return buf.length === 4 ? { op, block: buf.readUInt16BE(2) } : null;
  if (op === OP.ERROR) {
    const end = buf.indexOf(0, 4);
    return {
      op,
      code: buf.readUInt16BE(2),
      message: buf.toString('latin1', 4, end < 0 ? buf.length : end),
    };
  }
  if (op === OP.OACK) {
    const parts = strings(buf, 2);
    if (!parts || parts.length % 2 !== 0) return null;
    const options: Record<string, string> = {};
    for (let i = 0; i < parts.length; i += 2) options[parts[i]!] = parts[i + 1]!;
    return { op, options };
  }
  return null;
}

/** A DATA packet: block number (mod 65536) and payload. */
export function dataPacket(block: number, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(OP.DATA, 0);
  head.writeUInt16BE(block & 0xffff, 2);
  return Buffer.concat([head, data]);
}

/** An ERROR packet. */
export function errorPacket(code: number, message: string): Buffer {
  const b = Buffer.alloc(5 + Buffer.byteLength(message, 'latin1'));
  b.writeUInt16BE(OP.ERROR, 0);
  b.writeUInt16BE(code, 2);
  b.write(message, 4, 'latin1');
  return b;
}

/** An OACK packet with the options the server accepted. */
export function oackPacket(options: Record<string, string>): Buffer {
  const body = Object.entries(options)
    .map(([k, v]) => `${k}\0${v}\0`)
    .join('');
  const b = Buffer.alloc(2 + Buffer.byteLength(body, 'latin1'));
  b.writeUInt16BE(OP.OACK, 0);
  b.write(body, 2, 'latin1');
  return b;
}

/** An ACK packet (used by tests acting as a client). */
export function ackPacket(block: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(OP.ACK, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

/** A read or write request (used by tests acting as a client). */
export function requestPacket(
  op: typeof OP.RRQ | typeof OP.WRQ,
  filename: string,
  mode = 'octet',
  options: Record<string, string> = {},
): Buffer {
  const body = [filename, mode, ...Object.entries(options).flat()].map((s) => `${s}\0`).join('');
  const b = Buffer.alloc(2 + Buffer.byteLength(body, 'latin1'));
  b.writeUInt16BE(op, 0);
  b.write(body, 2, 'latin1');
  return b;
}

export interface Negotiated {
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  /** The options to put in the OACK; empty when the client asked none we accept (no OACK). */
  accepted: Record<string, string>;
}

export interface NegotiationLimits {
  maxBlksize: number;
  maxWindowsize: number;
  defaultTimeoutMs: number;
}

/**
 * RFC 2347-2349 and 7440: accept what the client asked within our limits (a larger blksize or
 * windowsize is lowered, as the RFCs allow), ignore unknown or malformed options.
 */
export function negotiate(
  options: Record<string, string>,
  size: number,
  limits: NegotiationLimits,
): Negotiated {
  const out: Negotiated = {
    blksize: 512,
    windowsize: 1,
    timeoutMs: limits.defaultTimeoutMs,
    accepted: {},
  };
  const int = (v: string | undefined) =>
    v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  const blk = int(options.blksize);
  if (blk >= 8) {
    out.blksize = Math.min(blk, 65464, limits.maxBlksize);
    out.accepted.blksize = String(out.blksize);
  }
  const tsize = int(options.tsize);
  if (tsize >= 0) out.accepted.tsize = String(size);
  const timeout = int(options.timeout);
  if (timeout >= 1 && timeout <= 255) {
    out.timeoutMs = timeout * 1000;
    out.accepted.timeout = String(timeout);
  }
  const win = int(options.windowsize);
  if (win >= 1) {
    out.windowsize = Math.min(win, 65535, limits.maxWindowsize);
    out.accepted.windowsize = String(out.windowsize);
  }
  return out;
}
