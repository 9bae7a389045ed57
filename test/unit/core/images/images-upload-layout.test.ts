import { describe, expect, it } from 'vitest';
import { fitsBlockLayout, slotImageLayout } from '../../../../src/main/core/images/upload-verify';
import type { Profile } from '../../../../src/shared/profile';

const sector = (fill: (b: Buffer) => void) => {
  const b = Buffer.alloc(4096);
  fill(b);
  return b;
};

describe('slot image layout from the first bytes', () => {
  it('recognises slot filesystems', () => {
    expect(
      slotImageLayout(
        sector((b) => b.write('hsqs', 0, 'latin1')),
        'squashfs',
      ).valid,
    ).toBe(true);
    expect(
      slotImageLayout(
        sector((b) => b.writeUInt16LE(0xef53, 1080)),
        'raw',
      ).valid,
    ).toBe(true);
  });

  it('refuses a whole-disk image (GPT or MBR partition table) for one slot', () => {
    const gpt = sector((b) => {
      b[510] = 0x55;
      b[511] = 0xaa;
      b.write('EFI PART', 512, 'latin1');
    });
    expect(slotImageLayout(gpt, 'raw')).toMatchObject({ valid: false, found: /GPT/ });
    const mbr = sector((b) => {
      b[510] = 0x55;
      b[511] = 0xaa;
      b[446 + 4] = 0x83;
      b.writeUInt32LE(2048, 446 + 8);
      b.writeUInt32LE(4096, 446 + 12);
    });
    expect(slotImageLayout(mbr, 'raw')).toMatchObject({ valid: false, found: /MBR/ });
  });

  it('refuses a "squashfs" that is not, and leaves unknown content unjudged', () => {
    expect(slotImageLayout(Buffer.alloc(4096, 7), 'squashfs').valid).toBe(false);
    expect(slotImageLayout(Buffer.alloc(4096, 7), 'raw').valid).toBeNull();
    expect(slotImageLayout(Buffer.alloc(0), 'raw').valid).toBeNull();
  });
});

describe('block layout of the console path', () => {
  const profile = (A: number, B: number) =>
    ({ console: { block_size: 512, slot_start_block: { A, B } } }) as unknown as Profile;
  it('an image must end before the next slot starts', () => {
    expect(fitsBlockLayout(512 * 100, profile(1000, 1100))).toBe(true);
    expect(fitsBlockLayout(512 * 100 + 1, profile(1000, 1100))).toBe(false);
    expect(fitsBlockLayout(1, {} as Profile)).toBeNull();
  });
});
