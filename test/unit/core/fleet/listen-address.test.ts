import { describe, expect, it } from 'vitest';
import { parseListenAddress } from '../../../../src/main/core/fleet/listen-address';

describe('--device-listen ADDR:PORT', () => {
  it('takes IPv4 and bracketed IPv6 addresses with a port', () => {
    expect(parseListenAddress('0.0.0.0:8220')).toEqual({ host: '0.0.0.0', port: 8220 });
    expect(parseListenAddress('192.168.10.5:8221')).toEqual({ host: '192.168.10.5', port: 8221 });
    expect(parseListenAddress('[::]:8225')).toEqual({ host: '::', port: 8225 });
  });
  it('refuses names, missing or bad ports, bad addresses', () => {
    for (const bad of [
      'localhost:8220',
      '0.0.0.0',
      '0.0.0.0:0',
      '0.0.0.0:70000',
      '300.1.1.1:80',
      '::1:80',
      '',
    ])
      expect(() => parseListenAddress(bad), bad).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
  });
});
