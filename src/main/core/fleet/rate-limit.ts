/**
 * A token bucket per key: `capacity` requests at once, refilled at `perSecond`. Buckets of keys
 * not heard from for a while are dropped, so a flood of made-up keys cannot grow the map forever.
 */
export interface RateLimiter {
  /** Take one token; null when allowed, else the seconds until one is back (for Retry-After). */
  take(key: string): number | null;
}

/** Build a limiter; `now` is for tests that move time by hand. */
export function createRateLimiter(o: {
  capacity: number;
  perSecond: number;
  maxKeys?: number;
  now?: () => number;
}): RateLimiter {
  const now = o.now ?? Date.now;
  const maxKeys = o.maxKeys ?? 10_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      let b = buckets.get(key);
      if (!b) {
        if (buckets.size >= maxKeys) {
          // Forget the full buckets first: they would be back at capacity anyway.
          for (const [k, v] of buckets)
            if (Math.min(o.capacity, v.tokens + ((t - v.at) / 1000) * o.perSecond) >= o.capacity)
              buckets.delete(k);
          if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
        }
        b = { tokens: o.capacity, at: t };
        buckets.set(key, b);
      }
      b.tokens = Math.min(o.capacity, b.tokens + ((t - b.at) / 1000) * o.perSecond);
      b.at = t;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return null;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / o.perSecond));
    },
  };
}
