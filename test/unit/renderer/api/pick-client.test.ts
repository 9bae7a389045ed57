import { describe, expect, it } from 'vitest';
import {
  takeToken,
  TOKEN_KEY,
  type TokenPlace,
} from '../../../../src/renderer/src/api/pick-client';

/** A stand-in for the window's location, history and sessionStorage. */
function place(href: string, stored: Record<string, string> = {}) {
  const replaced: string[] = [];
  const p: TokenPlace = {
    location: { href },
    history: { replaceState: (_d, _u, url) => replaced.push(url) },
    sessionStorage: {
      getItem: (k) => stored[k] ?? null,
      setItem: (k, v) => {
        stored[k] = v;
      },
    },
  };
  return { p, replaced, stored };
}

describe('browser-mode token', () => {
  it('takes the token from the URL, keeps it for the tab and clears it from the address bar', () => {
    const { p, replaced, stored } = place('http://127.0.0.1:9/?token=abc&x=1#/gateways/crane-7');
    expect(takeToken(p)).toBe('abc');
    expect(stored[TOKEN_KEY]).toBe('abc');
    expect(replaced).toEqual(['/?x=1#/gateways/crane-7']);
  });

  it('falls back to the token kept in sessionStorage after a reload', () => {
    const { p, replaced } = place('http://127.0.0.1:9/#/settings', { [TOKEN_KEY]: 'kept' });
    expect(takeToken(p)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('is empty when there is none (the server then answers UNAUTHORIZED)', () => {
    expect(takeToken(place('http://127.0.0.1:9/').p)).toBe('');
  });
});
