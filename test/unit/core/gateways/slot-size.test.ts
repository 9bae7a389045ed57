import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  factCommands,
  factScript,
  parseFacts,
  parseSlotSize,
} from '../../../../src/main/core/gateways/facts';
import { univaProfile } from '../../../helpers/profile';

describe('slot size fact', () => {
  it('reads sysfs sectors, a bare byte count, and a tar listing (GNU and BusyBox)', () => {
    expect(parseSlotSize('sectors 16777216\n')).toBe(8589934592);
    expect(parseSlotSize(' 41945088\n')).toBe(41945088);
    expect(parseSlotSize('-rw-r--r-- root/root  41945088 2026-12-01 06:35 tmp/dev/mmcblk0p2')).toBe(
      41945088,
    );
    expect(parseSlotSize('-rw-r--r-- 0/0     41945088 2026-12-01 06:35:11 tmp/dev/mmcblk0p2')).toBe(
      41945088,
    );
    expect(parseSlotSize('')).toBeNull();
    expect(parseSlotSize('sh: wc: not found')).toBeNull();
  });

  it('uses no tool outside the contract: runs under dash with only cat, head, tar and base64 in PATH', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigger-size-'));
    const bin = join(dir, 'bin');
    execFileSync('mkdir', [bin]);
    for (const t of ['cat', 'head', 'tar', 'base64']) symlinkSync('/bin/busybox', join(bin, t));
    const device = join(dir, 'slot-a');
    writeFileSync(device, Buffer.alloc(123_457));
    const p = univaProfile();
    p.slots.A.device = device;
    p.slots.B.device = join(dir, 'absent');
    const all = factCommands(p);
    const script = factScript({ size_A: all.size_A!, size_B: all.size_B!, cpu: all.cpu! });
    const out = execFileSync('/bin/dash', ['-s'], {
      input: script,
      env: { PATH: bin },
    }).toString();
    const facts = parseFacts(out);
    expect(parseSlotSize(facts.size_A!.out)).toBe(123_457);
    expect(facts.size_B).toEqual({ rc: 3, out: 'missing' });
    // No sleep: the CPU section says it failed instead of timing nothing.
    expect(facts.cpu?.rc).not.toBe(0);
  });
});
