import { afterEach, describe, expect, it } from 'vitest';
import { needsMachineAlone } from '../../helpers/lane';

describe('files that need the machine to themselves (test/helpers/lane.ts)', () => {
  const before = process.env.RIGGER_TEST_LANE;
  afterEach(() => {
    if (before === undefined) delete process.env.RIGGER_TEST_LANE;
    else process.env.RIGGER_TEST_LANE = before;
  });

  it('refuses in a file that runs beside others, naming where to list it', () => {
    process.env.RIGGER_TEST_LANE = 'shared';
    expect(() => needsMachineAlone('QEMU')).toThrow(/QEMU needs the machine to itself.*ALONE/);
  });

  it('allows it in a file that runs alone, and outside vitest (the benchmarks)', () => {
    process.env.RIGGER_TEST_LANE = 'alone';
    expect(() => needsMachineAlone('QEMU')).not.toThrow();
    delete process.env.RIGGER_TEST_LANE;
    expect(() => needsMachineAlone('QEMU')).not.toThrow();
  });
});
