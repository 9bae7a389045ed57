import { describe, expect, it } from 'vitest';
import { httpClient } from '../../../src/renderer/src/api/http-client';

/** A stand-in fetch (named as such): records the request and answers what the test says. */
function stubFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return { calls, fetchImpl };
}

describe('browser-mode ApiClient', () => {
  it('posts the input with the bearer token and returns the value', async () => {
    const { calls, fetchImpl } = stubFetch(200, []);
    const client = httpClient('http://127.0.0.1:9', 'tok', fetchImpl);
    expect(await client.call('gateways.list', {})).toEqual([]);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/api/call/gateways.list');
    expect((calls[0]!.init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
  });

  it('rejects with the seed error the server sent', async () => {
    const { fetchImpl } = stubFetch(409, {
      error: true,
      code: 'ALREADY_EXISTS',
      message: 'taken',
      details: {},
      suggested_actions: ['x'],
    });
    await expect(
      httpClient('http://h', 't', fetchImpl).call('gateways.list', {}),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS', suggestedActions: ['x'] });
  });

  it('turns an answer that is not JSON, or no answer, into a clear error', async () => {
    await expect(
      httpClient('http://h', 't', stubFetch(502, '<html>').fetchImpl).call('app.info', {}),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    const down = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(httpClient('http://h', 't', down).call('app.info', {})).rejects.toThrow(
      /cannot be reached/,
    );
  });
});
