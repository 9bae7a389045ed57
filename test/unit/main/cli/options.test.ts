import { describe, expect, it } from 'vitest';
import { choiceOption, slotOption, wholeOption } from '../../../../src/main/cli/options';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('not refused');
};

describe('CLI option values', () => {
  it('slots in any case; anything else is a VALIDATION_ERROR naming the flag', () => {
    expect(slotOption('a')).toBe('A');
    expect(slotOption(' B ')).toBe('B');
    expect(refusal(() => slotOption('C'))).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: '--slot takes A or B, not "C"',
    });
  });
  it('whole numbers within bounds', () => {
    expect(wholeOption('5', '--reboot-delay', 0, 3600)).toBe(5);
    for (const bad of ['soon', '-1', '1.5', '', '99999'])
      expect(refusal(() => wholeOption(bad, '--reboot-delay', 0, 3600)).code).toBe(
        'VALIDATION_ERROR',
      );
  });
  it('one of a set of words', () => {
    expect(choiceOption('GZIP', '--compression', ['gzip', 'none'] as const)).toBe('gzip');
    expect(
      refusal(() => choiceOption('zip', '--compression', ['gzip', 'none'] as const)).message,
    ).toBe('--compression takes gzip or none, not "zip"');
  });
});
