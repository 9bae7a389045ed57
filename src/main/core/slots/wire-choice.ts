import { gunzipSync, constants } from 'node:zlib';
import { canStreamIn, type GatewaySession } from '../gateways/session';
import { chooseCompression, type CompressionChoice } from '../transfer/compression-choice';
import type { SlotSource, SlotTransfer, WritePlan } from './contract';
import { gzipStreamWrite } from './gzip-stream-write';
import { fullPlan } from './plan';
import { chunks } from './sources';
import { streamedFullWrite } from './streamed-write';

/** The probe's sample of the stored gzip stream: small enough for a poor site Wi-Fi. */
const SAMPLE = 2 * 1024 * 1024;
/** A probe quicker than this over the command's own start-up cannot tell a rate. */
const TOO_QUICK_MS = 25;

/** What the probe measured, bytes/s (null: too quick to tell). */
export interface WireRates {
  linkRate: number | null;
  gunzipRate: number | null;
}

/** The way a full write travels, why, and what it measured. */
export interface WireChoice extends CompressionChoice {
  plan: WritePlan;
  transfer: SlotTransfer;
  rates: WireRates;
}

async function firstBytes(source: SlotSource, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let have = 0;
  for await (const c of chunks(source.stored.open())) {
    parts.push(c);
    have += c.length;
    if (have >= n) break;
  }
  return Buffer.concat(parts).subarray(0, n);
}

/** Milliseconds the gateway takes to run `cmd` with `input` on its standard input. */
async function timed(session: GatewaySession, cmd: string, input: Buffer): Promise<number> {
  if (!canStreamIn(session)) return NaN;
  const t0 = performance.now();
  const { stdin, done } = await session.execStream(cmd);
  stdin.end(input);
  await done;
  return performance.now() - t0;
}

/**
 * Measure the link and the gateway's `gzip -dc` with the image's own first compressed bytes:
 * an empty command for the start-up cost, the sample into `cat`, then into `gzip -dc`. The
 * decompression overlaps the transfer, so a gunzip faster than the link reads as the link's
 * rate times the ratio: a lower bound, which only makes gzip look less good than it is.
 */
async function probeRates(session: GatewaySession, source: SlotSource): Promise<WireRates> {
  const sample = await firstBytes(source, SAMPLE);
  const out = gunzipSync(sample, { finishFlush: constants.Z_SYNC_FLUSH }).length;
  const base = await timed(session, 'cat >/dev/null', Buffer.alloc(0));
  const link = (await timed(session, 'cat >/dev/null', sample)) - base;
  const gz = (await timed(session, 'gzip -dc >/dev/null 2>&1; true', sample)) - base;
  const rate = (bytes: number, ms: number) =>
    Number.isFinite(ms) && ms >= TOO_QUICK_MS ? Math.round((bytes * 1000) / ms) : null;
  return { linkRate: rate(sample.length, link), gunzipRate: rate(out, gz) };
}

/**
 * Raw or gzip for this full write, from what was measured on this gateway now. An image the
 * library holds uncompressed is sent raw without a probe.
 */
export async function chooseWire(session: GatewaySession, source: SlotSource): Promise<WireChoice> {
  const gzip = source.stored.compression === 'gzip';
  const gzipSize = gzip ? source.stored.size : null;
  // Measure only when the bytes alone would send gzip: else raw needs no probe.
  const worth = chooseCompression({ size: source.size, gzipSize }).choice === 'gzip';
  const rates: WireRates = worth
    ? await probeRates(session, source)
    : { linkRate: null, gunzipRate: null };
  const c = chooseCompression({ size: source.size, gzipSize, ...rates });
  return { ...c, ...wireOf(c.choice, c.reason, source), rates };
}

/** A plan and transfer for a way chosen before (a resumed job keeps its choice). */
export function wireOf(
  choice: 'raw' | 'gzip',
  reason: string,
  source: SlotSource,
): Pick<WireChoice, 'plan' | 'transfer'> {
  const gzip = choice === 'gzip' && source.stored.compression === 'gzip';
  return {
    plan: { ...fullPlan(source.size), wire: gzip ? 'gzip' : 'raw', reason },
    transfer: gzip ? gzipStreamWrite : streamedFullWrite,
  };
}
