import { describe, expect, it } from 'vitest';
import { chooseCompression } from '../../../../src/main/core/transfer/compression-choice';

const MiB512 = 512 * 1024 * 1024;
const gz = Math.round(MiB512 / 2.5);

describe('chooseCompression', () => {
  it('sends gzip over a 100 Mbit/s link to a gateway that gunzips at 60 MB/s, and says why', () => {
    const c = chooseCompression({ size: MiB512, gzipSize: gz, linkRate: 11.5e6, gunzipRate: 60e6 });
    expect(c.choice).toBe('gzip');
    expect(c.bytesOnWire).toBe(gz);
    expect(c.gzipSeconds).toBeCloseTo(gz / 11.5e6, 5); // the link is the slowest stage
    expect(c.rawSeconds).toBeCloseTo(MiB512 / 11.5e6, 5);
    expect(c.reason).toBe(
      "gzip: 215 MB on the wire instead of 537 MB; the link (11.5 MB/s) is slower than the gateway's gunzip (60.0 MB/s), so about 19 s instead of 47 s",
    );
  });

  it('sends raw over a gigabit cable to a gateway whose gunzip is slower than the link', () => {
    const c = chooseCompression({ size: MiB512, gzipSize: gz, linkRate: 110e6, gunzipRate: 40e6 });
    expect(c.choice).toBe('raw');
    expect(c.bytesOnWire).toBe(MiB512);
    expect(c.reason).toMatch(
      /^raw: the gateway's gunzip \(40.0 MB\/s\) is slower than the link \(110.0 MB\/s\); .* about 4.9 s against 13 s$/,
    );
  });

  it('sends raw when the slot write limits both ways and gzip would only add work', () => {
    const c = chooseCompression({
      size: MiB512,
      gzipSize: gz,
      linkRate: 30e6,
      gunzipRate: 200e6,
      writeRate: 20e6,
    });
    expect(c.choice).toBe('raw');
    expect(c.reason).toMatch(/the slot writes at 20.0 MB\/s/);
  });

  it('takes gzip only when it wins by a margin', () => {
    // gzip would be 5% faster: not worth two estimates' error.
    const c = chooseCompression({
      size: 100e6,
      gzipSize: 50e6,
      linkRate: 10e6,
      gunzipRate: 100e6 / 9.5,
    });
    expect(c.choice).toBe('raw');
  });

  it('sends raw when there is no gzip form, or gzip saves nothing', () => {
    expect(chooseCompression({ size: 1e6 }).reason).toBe(
      'raw: the library holds no gzip form of this image',
    );
    const c = chooseCompression({ size: 100e6, gzipSize: 99e6, linkRate: 1e6, gunzipRate: 50e6 });
    expect(c).toMatchObject({ choice: 'raw', bytesOnWire: 100e6 });
    expect(c.reason).toMatch(/saves almost nothing/);
  });

  it('sends gzip when nothing is measured yet, and says so', () => {
    const c = chooseCompression({ size: MiB512, gzipSize: gz, linkRate: null, gunzipRate: 0 });
    expect(c).toMatchObject({ choice: 'gzip', bytesOnWire: gz });
    expect(c.reason).toMatch(/not measured yet/);
    expect(c.rawSeconds).toBeUndefined();
  });
});
