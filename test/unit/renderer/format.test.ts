import { describe, expect, it } from 'vitest';
import {
  age,
  celsius,
  connectionLine,
  connectionTarget,
  percent,
  shown,
} from '../../../src/renderer/src/format';

describe('display helpers', () => {
  it('shows unknown for what is not known, never 0 or blank', () => {
    expect(shown(null, ' %')).toBe('unknown');
    expect(shown(undefined)).toBe('unknown');
    expect(shown('  ')).toBe('unknown');
    expect(shown(0, ' %')).toBe('0 %');
    expect(shown(false)).toBe('no');
    expect(percent(null)).toBe('unknown');
    expect(percent(0)).toBe('0 %');
    expect(percent(4.66)).toBe('4.7 %');
    expect(celsius(null)).toBe('unknown');
    expect(celsius(41.26)).toBe('41.3 °C');
  });

  it('gives ages in words', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(age(null, now)).toBe('never');
    expect(age('garbage', now)).toBe('unknown');
    expect(age('2026-01-01T11:59:30Z', now)).toBe('just now');
    expect(age('2026-01-01T11:58:00Z', now)).toBe('2 min ago');
    expect(age('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
    expect(age('2025-12-29T12:00:00Z', now)).toBe('3 d ago');
  });

  it('says how a gateway is reached', () => {
    const ssh = {
      type: 'ssh' as const,
      host: '10.0.0.5',
      port: 2222,
      user: 'root',
      auth: { method: 'key' as const, key_file: '/k' },
    };
    expect(connectionTarget(ssh)).toBe('root@10.0.0.5:2222');
    expect(connectionLine(ssh)).toBe('SSH root@10.0.0.5:2222');
    expect(
      connectionLine({
        type: 'serial',
        port: '/dev/ttyUSB0',
        baud: 115200,
        user: 'root',
        auth: { method: 'none' },
      }),
    ).toBe('Serial /dev/ttyUSB0 at 115200 baud');
  });
});
