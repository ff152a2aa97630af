import { LRUCache } from 'lru-cache';

/** Options of {@link createRateLimit}. */
export interface RateLimitOptions {
  /** Attempts allowed per key in one window. */
  limit: number;
  /** Length of a window, counted from the key's first attempt. */
  windowSeconds: number;
  /**
   * Keys remembered at most (the least recently used is forgotten first), so that memory stays bounded
   * whatever keys an attacker sends. Forgetting a key only ever gives it a fresh window.
   * @default 10_000
   */
  maxKeys?: number;
}

/** A fixed-window counter of attempts per key. */
export interface RateLimit {
  /** Counts one attempt for `key`: returns 0 when allowed, else the seconds until its window ends (`Retry-After`). */
  take(key: string): number;
  /** Gives back one attempt counted by {@link RateLimit.take} (e.g. a login that succeeded). */
  refund(key: string): void;
}

/**
 * A fixed-window rate limit held in memory (one process). Several servers behind a load balancer each count
 * their own attempts: a shared store (Redis `INCR` + `EXPIRE`) would be the next step.
 */
export function createRateLimit(options: RateLimitOptions): RateLimit {
  const windowMs = options.windowSeconds * 1000;
  const windows = new LRUCache<string, { count: number; endsAt: number }>({ max: options.maxKeys ?? 10_000, ttl: windowMs });
  return {
    take(key) {
      const now = Date.now();
      const current = windows.get(key);
      if (!current) {
        windows.set(key, { count: 1, endsAt: now + windowMs });
        return 0;
      }
      if (current.count >= options.limit) return Math.max(1, Math.ceil((current.endsAt - now) / 1000));
      current.count += 1;
      return 0;
    },
    refund(key) {
      const current = windows.get(key);
      if (current && current.count > 0) current.count -= 1;
    },
  };
}
