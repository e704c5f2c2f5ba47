import { describe, expect, it } from "vitest"
import type { Principal } from "./Principal.js"
import { makeVerifiedTokens } from "./VerifiedTokens.js"

const principal = (name: string): Principal => ({ tokenId: name, name, scopes: ["read"], userId: null })

describe("VerifiedTokens", () => {
  it("answers a token verified within the TTL and forgets it after", () => {
    const cache = makeVerifiedTokens(1_000)
    cache.set("h1", principal("a"), 10_000)
    expect(cache.get("h1", 10_999)?.name).toBe("a")
    expect(cache.get("h1", 11_000)).toBeUndefined()
    // forgotten for good, not only hidden
    expect(cache.get("h1", 10_500)).toBeUndefined()
    expect(cache.get("h2", 10_000)).toBeUndefined()
  })

  it("does not trust an entry when the clock went back", () => {
    const cache = makeVerifiedTokens(1_000)
    cache.set("h1", principal("a"), 10_000)
    expect(cache.get("h1", 9_000)).toBeUndefined()
  })

  it("keeps at most max entries, dropping the oldest", () => {
    const cache = makeVerifiedTokens(1_000, 2)
    cache.set("h1", principal("a"), 0)
    cache.set("h2", principal("b"), 0)
    cache.set("h1", principal("a"), 1) // refreshed: now the newest
    cache.set("h3", principal("c"), 2)
    expect(cache.get("h2", 3)).toBeUndefined()
    expect(cache.get("h1", 3)?.name).toBe("a")
    expect(cache.get("h3", 3)?.name).toBe("c")
  })

  it("remembers nothing with a TTL of 0", () => {
    const cache = makeVerifiedTokens(0)
    cache.set("h1", principal("a"), 0)
    expect(cache.get("h1", 0)).toBeUndefined()
  })
})
