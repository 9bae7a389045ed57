import { describe, expect, it } from 'vitest';
import { classify, garbled } from '../../../../src/main/core/serial/console-state';

describe('console state from what arrives', () => {
  it('tells the states apart by what waits at the end', () => {
    expect(classify('')).toBe('silent');
    expect(classify('U-Boot 2023.01\r\nHit any key to stop autoboot:  3 ')).toBe('autoboot');
    // Joined mid-countdown: only the ticks, each backspacing over the last number.
    expect(classify('\b\b\b57 \b\b\b56 \b\b\b 9 ')).toBe('autoboot');
    expect(classify('Net:   No ethernet found.\r\n=> ')).toBe('uboot');
    expect(classify('[    2.345678] EXT4-fs (mmcblk0p2): mounted filesystem\r\n')).toBe('kernel');
    expect(classify('Univa OS 5.0.4\r\ngw login: ')).toBe('login');
    expect(classify('Password: ')).toBe('login');
    expect(classify('root@gw:~# ')).toBe('shell');
    expect(classify('some text with no prompt')).toBe('unknown');
  });

  it('calls mostly unprintable bytes garbled (the wrong baud rate)', () => {
    const noise = Buffer.from([
      0xf0, 0x8c, 0x00, 0xfe, 0x13, 0x99, 0xe0, 0x81, 0xff, 0x02, 0x7f, 0x90,
    ]).toString('latin1');
    expect(garbled(noise)).toBe(true);
    expect(classify(noise)).toBe('garbled');
    expect(garbled('U-Boot 2023.01 (Jun 22 2026)')).toBe(false);
  });
});
