/**
 * A token bucket per key (the token id): `perSecond` refill, `burst` capacity. `take` answers 0
 * when the request may go, else the whole seconds to wait (the `Retry-After`).
 */
export interface RateLimiter {
  readonly take: (key: string, nowMs: number) => number
}

export const makeRateLimiter = (perSecond: number, burst: number): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>()
  return {
    take: (key, nowMs) => {
      const bucket = buckets.get(key) ?? { tokens: burst, at: nowMs }
      bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * perSecond)
      bucket.at = nowMs
      buckets.set(key, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond))
    }
  }
}
