import { describe, expect, it } from 'vitest';
import { RetryableError, withRetries } from '../../../../src/main/core/util/retry';

describe('withRetries', () => {
  it('tries again after a RetryableError and returns the first success', async () => {
    const tries: number[] = [];
    const result = await withRetries(
      async (attempt) => {
        tries.push(attempt);
        if (attempt < 3) throw new RetryableError('flaky', new Error('gave up'));
        return 'ok';
      },
      { retries: 5, backoffMs: 1 },
    );
    expect(result).toBe('ok');
    expect(tries).toEqual([1, 2, 3]);
  });

  it('with no try left throws the last RetryableError’s final error', async () => {
    let tries = 0;
    const final = new Error('the server stayed down');
    await expect(
      withRetries(
        async () => {
          tries++;
          throw new RetryableError('down', final);
        },
        { retries: 2, backoffMs: 1 },
      ),
    ).rejects.toBe(final);
    expect(tries).toBe(3);
  });

  it('ends at once on any other error, even a TypeError or a thrown string', async () => {
    for (const thrown of [new TypeError('bad input'), 'plain string']) {
      let tries = 0;
      await expect(
        withRetries(async () => {
          tries++;
          throw thrown;
        }),
      ).rejects.toBe(thrown);
      expect(tries).toBe(1);
    }
  });

  it('asks shouldRetry and tells onRetry before each wait, never after the last try', async () => {
    const told: unknown[] = [];
    const errs = [new Error('link 1'), new Error('link 2'), new Error('link 3')];
    let i = 0;
    await expect(
      withRetries(
        async () => {
          throw errs[i++];
        },
        {
          retries: 2,
          backoffMs: 1,
          shouldRetry: (e) => (e as Error).message.startsWith('link'),
          onRetry: (e) => void told.push(e),
        },
      ),
    ).rejects.toBe(errs[2]);
    expect(told).toEqual([errs[0], errs[1]]);
  });

  it('a signal aborted during the wait ends the run with its reason', async () => {
    const ac = new AbortController();
    const reason = new Error('cancelled');
    let tries = 0;
    await expect(
      withRetries(
        async () => {
          tries++;
          setImmediate(() => ac.abort(reason));
          throw new RetryableError('again', new Error('final'));
        },
        { retries: 5, backoffMs: 60_000, signal: ac.signal },
      ),
    ).rejects.toBe(reason);
    expect(tries).toBe(1);
  });
});
