/**
 * `ContentKeys` on PostgreSQL (`makePostgresContentKeys`): one data key per user even when two
 * processes create it at once, opened again by another process with the master key, crypto-shredded
 * by `forget`, re-wrapped by `rotate`.
 */
import { EventStore, keyFingerprint, type MasterKey, newKey, RECHECK_MS } from "@cratos/store"
import { makePostgresContentKeys, PostgresDatabase } from "@cratos/store/postgres"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer } from "effect"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"

const master = (): MasterKey => {
  const key = newKey()
  return { key, id: keyFingerprint(key), source: "test", created: false }
}

const layer = Layer.unwrapEffect(
  Effect.promise(async () => EventStore.layerPostgres({ url: await postgresDatabase("keys") }))
)

describe.skipIf(!postgresAvailable())("ContentKeys on PostgreSQL", () => {
  it.effect("one key per user across processes; opened by another; forgotten for good; rotated", () =>
    Effect.gen(function* () {
      yield* PostgresDatabase
      const m = master()
      const one = yield* makePostgresContentKeys(Either.right(m))
      const two = yield* makePostgresContentKeys(Either.right(m))
      const [a, b] = yield* Effect.all([one.forUser("ann", "t0"), two.forUser("ann", "t0")], { concurrency: 2 })
      expect(a.keyId).toBe(b.keyId)
      expect(a.key.equals(b.key)).toBe(true)
      const other = yield* makePostgresContentKeys(() => Either.right(m))
      expect((yield* other.byId(a.keyId))?.key.equals(a.key)).toBe(true)
      const wrong = yield* makePostgresContentKeys(Either.right(master()))
      expect(yield* wrong.byId(a.keyId)).toBeUndefined()

      const next = master()
      expect(yield* one.rotate(next)).toBe(1)
      const rotated = yield* makePostgresContentKeys(Either.right(next))
      expect((yield* rotated.byId(a.keyId))?.key.equals(a.key)).toBe(true)

      // a process that holds the key (a long-running server) drops it within RECHECK_MS of the forget
      // (whether it still answers from its cache just after depends on when it last looked: not asserted)
      expect((yield* one.byId(a.keyId))?.keyId).toBe(a.keyId)
      expect(yield* rotated.forget("ann", "t1")).toEqual({ userId: "ann", keyId: a.keyId, forgottenAt: "t1" })
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, RECHECK_MS + 20)))
      expect(one.cachedById(a.keyId)).toBeUndefined()
      expect(one.cached("ann")).toBeUndefined()
      expect(yield* one.byId(a.keyId)).toBeUndefined()
      const renewed = yield* one.forUser("ann", "t2")
      expect(renewed.keyId).not.toBe(a.keyId)
      const after = yield* makePostgresContentKeys(Either.right(next))
      expect(yield* after.byId(a.keyId)).toBeUndefined()
      expect(yield* after.forgotten).toEqual([{ userId: "ann", keyId: a.keyId, forgottenAt: "t1" }])
      expect(yield* after.forget("ann", "t3")).toEqual({ userId: "ann", keyId: renewed.keyId, forgottenAt: "t3" })
    }).pipe(Effect.provide(layer))
  )
})
