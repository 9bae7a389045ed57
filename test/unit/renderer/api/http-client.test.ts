import { describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import {
  createHttpClient,
  eventsUrl,
  type FetchLike,
} from '../../../../src/renderer/src/api/http-client';
import { readAnswer } from '../../../../src/renderer/src/api/http-errors';

/** A stand-in fetch (named as such): records each request and answers what the test says. */
function stubFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: Parameters<FetchLike>[1] }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return { status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  };
  return { calls, fetch };
}

const seedError = {
  error: true,
  code: 'ALREADY_EXISTS',
  message: 'A gateway named "crane-7" already exists',
  details: { gateway: 'crane-7' },
  suggested_actions: ['Choose another name'],
};

describe('browser-mode ApiClient: calls', () => {
  it('posts the input as JSON with the bearer token and returns the value', async () => {
    const { calls, fetch } = stubFetch(200, [{ name: 'crane-7' }]);
    const client = createHttpClient({ base: 'http://127.0.0.1:9/', token: 'tok', fetch });
    expect(await client.call('gateways.list', {})).toEqual([{ name: 'crane-7' }]);
    expect(calls[0]!.url).toBe('http://127.0.0.1:9/api/call/gateways.list');
    expect(calls[0]!.init.method).toBe('POST');
    expect(calls[0]!.init.headers.Authorization).toBe('Bearer tok');
    expect(calls[0]!.init.headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(calls[0]!.init.body)).toEqual({});
  });

  it('sends the input as the body', async () => {
    const { calls, fetch } = stubFetch(200, {});
    await createHttpClient({ base: 'http://h', token: 't', fetch }).call('gateways.status', {
      name: 'crane-7',
    });
    expect(JSON.parse(calls[0]!.init.body)).toEqual({ name: 'crane-7' });
  });

  it('rejects with the RiggerError the server sent, details and next steps kept', async () => {
    const { fetch } = stubFetch(409, seedError);
    const err = await createHttpClient({ base: 'http://h', token: 't', fetch })
      .call('gateways.list', {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RiggerError);
    expect(err).toMatchObject({
      code: 'ALREADY_EXISTS',
      message: seedError.message,
      details: { gateway: 'crane-7' },
      suggestedActions: ['Choose another name'],
    });
  });

  it('names a 401 without a seed body as a token problem', async () => {
    const { fetch } = stubFetch(401, 'nope');
    await expect(
      createHttpClient({ base: 'http://h', token: '', fetch }).call('app.info', {}),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('turns an answer that is not JSON, or no answer at all, into a clear error', async () => {
    await expect(
      createHttpClient({
        base: 'http://h',
        token: 't',
        fetch: stubFetch(502, '<html>').fetch,
      }).call('app.info', {}),
    ).rejects.toMatchObject({ code: 'INTERNAL', details: { status: 502 } });
    const down: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    const err = await createHttpClient({ base: 'http://h', token: 't', fetch: down })
      .call('app.info', {})
      .then(
        () => null,
        (e: unknown) => e as RiggerError,
      );
    expect(err?.message).toMatch(/cannot be reached: fetch failed/);
    expect(err?.suggestedActions[0]).toMatch(/rigger serve/);
  });
});

describe('answer mapping', () => {
  it('returns the parsed value of a 2xx, undefined for an empty body', () => {
    expect(readAnswer(200, '{"a":1}')).toEqual({ a: 1 });
    expect(readAnswer(204, '')).toBeUndefined();
  });
  it('refuses a 2xx that is not JSON', () => {
    expect(() => readAnswer(200, 'oops')).toThrow(/without JSON/);
  });
  it('keeps the seed error of any status', () => {
    expect(() =>
      readAnswer(502, JSON.stringify({ ...seedError, code: 'HOST_UNREACHABLE' })),
    ).toThrow(expect.objectContaining({ code: 'HOST_UNREACHABLE' }));
  });
});

describe('event stream URL', () => {
  it('uses ws for http and wss for https, with the token encoded', () => {
    expect(eventsUrl('http://127.0.0.1:8123/', 'a+b/c')).toBe(
      'ws://127.0.0.1:8123/api/events?token=a%2Bb%2Fc',
    );
    expect(eventsUrl('https://site', 't')).toBe('wss://site/api/events?token=t');
  });
});
