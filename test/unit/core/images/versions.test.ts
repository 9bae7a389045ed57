import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  meets,
  meetsAll,
  parseVersion,
} from '../../../../src/main/core/images/versions';

describe('image versions', () => {
  it('reads the bundle shape with or without the v, and nothing else', () => {
    expect(parseVersion('v5.0.4')?.version).toBe('5.0.4');
    expect(parseVersion(' 5.1.0-custom ')?.version).toBe('5.1.0-custom');
    for (const bad of ['5.0', 'v5.0.4+build', '=5.0.4', '>=5.0.0', 'Yocto 4.0', '', 'v5.0.4-'])
      expect(parseVersion(bad), bad).toBeNull();
  });

  it('orders by semver precedence, pre-releases below their release', () => {
    const sorted = ['v5.1.0', 'v5.0.10', 'v5.1.0-rc.2', 'v5.0.9', 'v5.1.0-rc.10', 'v5.1.0-beta']
      .sort(compareVersions)
      .reverse();
    expect(sorted).toEqual([
      'v5.1.0',
      'v5.1.0-rc.10',
      'v5.1.0-rc.2',
      'v5.1.0-beta',
      'v5.0.10',
      'v5.0.9',
    ]);
    expect(compareVersions('v5.0.4', '5.0.4')).toBe(0);
  });

  it('sorts a string that is not a version below every version, stably', () => {
    const sorted = ['zeta', 'v1.0.0', 'alpha', 'v0.0.1'].sort(compareVersions);
    expect(sorted).toEqual(['alpha', 'zeta', 'v0.0.1', 'v1.0.0']);
  });

  it('checks prerequisites: at least, exactly, below', () => {
    expect(meets('v5.0.4', 'v5.0.0+')).toBe(true);
    expect(meets('v4.9.9', 'v5.0.0+')).toBe(false);
    expect(meets('v5.1.0-custom', 'v5.0.0+')).toBe(true);
    expect(meets('5.0.4', 'v5.0.4')).toBe(true);
    expect(meets('v5.0.5', 'v5.0.4')).toBe(false);
    expect(meets('v5.0.4', '<v5.1.0')).toBe(true);
    expect(meets('v5.1.0', '<v5.1.0')).toBe(false);
    expect(() => meets('v5.0.4', 'soon')).toThrow(/not a version/);
  });

  it('an unknown or unparsable gateway version meets no prerequisite, and any list of none', () => {
    expect(meetsAll(null, ['v5.0.0+'])).toBe(false);
    expect(meetsAll('custom-build', ['v5.0.0+'])).toBe(false);
    expect(meetsAll(null, [])).toBe(true);
    expect(meetsAll('v5.0.4', ['v5.0.0+', '<v6.0.0'])).toBe(true);
  });
});
