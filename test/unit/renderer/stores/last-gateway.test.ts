import { describe, expect, it } from 'vitest';
import { defaultGateway, useLastGateway } from '../../../../src/renderer/src/stores/last-gateway';

describe('the Updates page opens on the gateway last used or connected', () => {
  it('prefers the last used, then a connected one, then the first; never a removed one', () => {
    const names = ['alpha', 'crane-7', 'crane-9'];
    expect(defaultGateway(names, 'crane-9', ['crane-7'])).toBe('crane-9');
    expect(defaultGateway(names, null, ['crane-7'])).toBe('crane-7');
    expect(defaultGateway(names, 'gone', [])).toBe('alpha');
    expect(defaultGateway([], 'gone', [])).toBeUndefined();
  });

  it('remembers the gateway used in this window', () => {
    useLastGateway.getState().use('crane-7');
    expect(useLastGateway.getState().name).toBe('crane-7');
  });
});
