import { describe, expect, it } from "vitest"
import { makeRateLimiter } from "./RateLimiter.js"

describe("RateLimiter", () => {
  it("lets a burst through, then asks to wait, then refills with time", () => {
    const limiter = makeRateLimiter(1, 3)
    expect([0, 1, 2].map(() => limiter.take("a", 0))).toEqual([0, 0, 0])
    expect(limiter.take("a", 0)).toBe(1)
    expect(limiter.take("b", 0)).toBe(0)
    expect(limiter.take("a", 1_000)).toBe(0)
    expect(limiter.take("a", 1_000)).toBe(1)
  })
})
