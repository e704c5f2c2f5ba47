import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { makeStreamLocks } from "./StreamLocks.js"

describe("StreamLocks", () => {
  it.effect("runs one execution's effects one at a time, in arrival order, and other executions' meanwhile", () =>
    Effect.gen(function* () {
      const locks = makeStreamLocks()
      const log: Array<string> = []
      const gate = yield* Deferred.make<void>()
      const first = yield* Effect.fork(
        locks.exclusive(
          "a",
          Effect.zipRight(
            Deferred.await(gate),
            Effect.sync(() => log.push("a1"))
          )
        )
      )
      yield* Effect.yieldNow()
      const second = yield* Effect.fork(
        locks.exclusive(
          "a",
          Effect.sync(() => log.push("a2"))
        )
      )
      const other = yield* Effect.fork(
        locks.exclusive(
          "b",
          Effect.sync(() => log.push("b1"))
        )
      )
      yield* Fiber.join(other)
      yield* Effect.yieldNow()
      expect(log).toEqual(["b1"])
      expect(locks.size()).toBe(1)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      expect(log).toEqual(["b1", "a1", "a2"])
      expect(locks.size()).toBe(0)
    })
  )

  it.effect("releases the lock when the effect fails", () =>
    Effect.gen(function* () {
      const locks = makeStreamLocks()
      const failed = yield* Effect.either(locks.exclusive("a", Effect.fail("refused")))
      expect(failed._tag).toBe("Left")
      expect(yield* locks.exclusive("a", Effect.succeed(1))).toBe(1)
      expect(locks.size()).toBe(0)
    })
  )
})
