import { describe, expect, it } from 'vitest';
import { OPERATION_NAMES } from '../../../src/shared/api';

describe('operation names', () => {
  it('are written in one style: area.verb in camelCase, no snake_case', () => {
    const odd = OPERATION_NAMES.filter((n) => !/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/.test(n));
    expect(odd).toEqual([]);
  });
});
