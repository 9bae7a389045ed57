/**
 * Raw or gzip for a full write, decided from what was measured: sending gzip pays when the link
 * is the bottleneck and the gateway's `gzip -dc` keeps up; on a fast link with a slow CPU, raw
 * bytes land sooner. Writes stream (send, decompress, write overlap), so each way takes as long
 * as its slowest stage.
 */
export interface CompressionInputs {
  /** Bytes of the image (uncompressed). */
  size: number;
  /** Bytes of its gzip form, if the library holds one. */
  gzipSize?: number | null;
  /** Measured link rate, bytes/s (what the transport moved, e.g. the last transfer). */
  linkRate?: number | null;
  /** Measured rate of the gateway's `gzip -dc`, in uncompressed bytes/s. */
  gunzipRate?: number | null;
  /** Measured rate of writing the slot, bytes/s (caps both ways alike). */
  writeRate?: number | null;
}

export interface CompressionChoice {
  choice: 'raw' | 'gzip';
  /** One sentence for the job and its log. */
  reason: string;
  /** Estimated seconds of each way, when the rates were known. */
  rawSeconds?: number;
  gzipSeconds?: number;
  bytesOnWire: number;
}

/** Gzip must win by this much: its estimate leans on two measurements, raw on one. */
const MARGIN = 0.9;

const mb = (n: number) => `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)} MB`;
const rate = (n: number) => `${(n / 1e6).toFixed(1)} MB/s`;
const secs = (n: number) => `${n < 10 ? n.toFixed(1) : Math.round(n)} s`;
const known = (n: number | null | undefined): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0;

/** Choose raw or gzip for a full write and say why. */
export function chooseCompression(i: CompressionInputs): CompressionChoice {
  const raw = (reason: string, extra: Partial<CompressionChoice> = {}): CompressionChoice => ({
    choice: 'raw',
    reason,
    bytesOnWire: i.size,
    ...extra,
  });
  if (!known(i.gzipSize)) return raw('raw: the library holds no gzip form of this image');
  if (i.gzipSize >= i.size * 0.95) {
    return raw(`raw: gzip saves almost nothing on this image (${mb(i.gzipSize)} of ${mb(i.size)})`);
  }
  const gz = i.gzipSize;
  if (!known(i.linkRate) || !known(i.gunzipRate)) {
    // Without measurements the bytes decide: every field link is slower than a gateway's gunzip
    // of a few tens of MB/s, except a cable on the bench.
    return {
      choice: 'gzip',
      reason: `gzip: ${mb(gz)} on the wire instead of ${mb(i.size)} (link or gateway rate not measured yet)`,
      bytesOnWire: gz,
    };
  }
  const write = known(i.writeRate) ? i.writeRate : Infinity;
  const rawSeconds = i.size / Math.min(i.linkRate, write);
  const gzipSeconds = Math.max(gz / i.linkRate, i.size / i.gunzipRate, i.size / write);
  const est = { rawSeconds, gzipSeconds };
  if (gzipSeconds <= rawSeconds * MARGIN) {
    return {
      choice: 'gzip',
      reason: `gzip: ${mb(gz)} on the wire instead of ${mb(i.size)}; the link (${rate(i.linkRate)}) is slower than the gateway's gunzip (${rate(i.gunzipRate)}), so about ${secs(gzipSeconds)} instead of ${secs(rawSeconds)}`,
      bytesOnWire: gz,
      ...est,
    };
  }
  const limit =
    i.size / i.gunzipRate >= gz / i.linkRate
      ? `the gateway's gunzip (${rate(i.gunzipRate)}) is slower than the link (${rate(i.linkRate)})`
      : `the slot writes at ${rate(write)}, so the link is not what limits`;
  return raw(
    `raw: ${limit}; sending the ${mb(i.size)} as they are takes about ${secs(rawSeconds)} against ${secs(gzipSeconds)}`,
    est,
  );
}
