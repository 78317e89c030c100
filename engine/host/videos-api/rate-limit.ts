/**
 * A rate limit per API key: a token bucket of `burst` requests refilled at
 * `perMinute`. Over the limit the caller answers 429 with `Retry-After`
 * (whole seconds until one request is allowed again).
 */
export interface RateLimitOptions {
  perMinute: number;
  burst?: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { perMinute: 6000, burst: 600 };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private readonly burst: number;

  constructor(
    opts: RateLimitOptions = DEFAULT_RATE_LIMIT,
    private readonly now = () => Date.now(),
  ) {
    this.perMs = opts.perMinute / 60_000;
    this.burst = Math.max(1, opts.burst ?? opts.perMinute);
  }

  /** 0 when the request may go ahead, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }
}
