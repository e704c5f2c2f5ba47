import { it } from "@effect/vitest"
import type { StoredEvent } from "@cratos/store"
import { Effect } from "effect"
import { describe, expect } from "vitest"
import { lastPendingRequest, makeApprovalRequests } from "./ApprovalRequests.js"

// Only an event's type and identity matter here.
const stored = (...types: ReadonlyArray<string>): ReadonlyArray<StoredEvent> =>
  types.map((type, i) => ({ position: i + 1, executionId: "x", userId: "u", event: { type, n: i } }) as never)

describe("lastPendingRequest", () => {
  it("is the last ApprovalRequested when nothing answered it", () => {
    const s = stored("MessageReceived", "ApprovalRequested", "ApprovalReceived", "ApprovalRequested")
    expect(lastPendingRequest(s)).toBe(s[3]!.event)
  })
  it("is null once the last request is answered, or when none was made", () => {
    expect(lastPendingRequest(stored("MessageReceived", "ApprovalRequested", "ApprovalReceived"))).toBeNull()
    expect(lastPendingRequest(stored("MessageReceived", "PlanGenerated"))).toBeNull()
  })
})

describe("ApprovalRequests", () => {
  it.effect("reads a stream again only when its event count moved", () =>
    Effect.gen(function* () {
      const cache = makeApprovalRequests()
      let reads = 0
      let stream = stored("MessageReceived", "ApprovalRequested")
      const read = Effect.sync(() => {
        reads++
        return stream
      })
      const first = yield* cache.pending("x", 2, read)
      expect(first).toBe(stream[1]!.event)
      expect(yield* cache.pending("x", 2, read)).toBe(first)
      expect(reads).toBe(1)
      stream = stored("MessageReceived", "ApprovalRequested", "ApprovalReceived")
      expect(yield* cache.pending("x", 3, read)).toBeNull()
      expect(reads).toBe(2)
      // another execution is its own entry
      expect(yield* cache.pending("y", 3, read)).toBeNull()
      expect(reads).toBe(3)
    })
  )

  it.effect("keeps at most max executions", () =>
    Effect.gen(function* () {
      const cache = makeApprovalRequests(1)
      let reads = 0
      const read = Effect.sync(() => {
        reads++
        return stored("ApprovalRequested")
      })
      yield* cache.pending("a", 1, read)
      yield* cache.pending("b", 1, read)
      yield* cache.pending("a", 1, read)
      expect(reads).toBe(3)
    })
  )
})
