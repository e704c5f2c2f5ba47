import { EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { allBackends, messageReceived, newId, tempDbPath, TestSql, toolInvoked } from "./helpers.js"

describe.each(allBackends())("idempotent appends on $name", (backend) => {
  it.effect("writes a repeated append once and returns the first result flagged deduplicated", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* TestSql
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const events = [toolInvoked(1), toolInvoked(2)]
      const first = yield* store.append(id, events, { expectedVersion: 1, idempotencyKey: "k-1" })
      expect(first.deduplicated).toBe(false)
      // A retry with the same expected version (now stale) still gets the first result.
      const again = yield* store.append(id, events, { expectedVersion: 1, idempotencyKey: "k-1" })
      expect(again).toEqual({ ...first, deduplicated: true })
      expect(yield* store.streamVersion(id)).toBe(3)
      expect(yield* sql.all("SELECT count(*) AS n FROM idempotency_keys")).toEqual([{ n: 1 }])
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("refuses a key reused with different events or another execution, writing nothing", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const id = newId()
      const other = newId()
      yield* store.startExecution(id, messageReceived())
      yield* store.startExecution(other, messageReceived())
      yield* store.append(id, [toolInvoked(1)], { idempotencyKey: "k" })
      const changed = yield* Effect.flip(store.append(id, [toolInvoked(2)], { idempotencyKey: "k" }))
      expect(changed).toMatchObject({ _tag: "IdempotencyConflict", key: "k", executionId: id })
      const elsewhere = yield* Effect.flip(store.append(other, [toolInvoked(1)], { idempotencyKey: "k" }))
      expect(elsewhere._tag).toBe("IdempotencyConflict")
      expect(yield* store.streamVersion(id)).toBe(2)
      expect(yield* store.streamVersion(other)).toBe(1)
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("does not record a key when the append fails", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const conflict = yield* Effect.flip(
        store.append(id, [toolInvoked(1)], { expectedVersion: 5, idempotencyKey: "k" })
      )
      expect(conflict._tag).toBe("ConcurrencyError")
      const ok = yield* store.append(id, [toolInvoked(1)], { expectedVersion: 1, idempotencyKey: "k" })
      expect(ok).toMatchObject({ version: 2, deduplicated: false })
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("makes a repeated startExecution with the same key return the first result", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const id = newId()
      const first = yield* store.startExecution(id, messageReceived(), { idempotencyKey: `start-${id}` })
      const again = yield* store.startExecution(id, messageReceived(), { idempotencyKey: `start-${id}` })
      expect(again).toEqual(first)
      const different = yield* Effect.flip(
        store.startExecution(id, messageReceived({ text: "other" }), { idempotencyKey: `start-${id}` })
      )
      expect(different._tag).toBe("IdempotencyConflict")
      expect(yield* store.streamVersion(id)).toBe(1)
    }).pipe(Effect.provide(backend.layer()))
  )
})

describe("idempotency keys on a file", () => {
  it.effect("survive closing and reopening the database", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const id = newId()
      const events = [toolInvoked(1), toolInvoked(2), toolInvoked(3)]
      const first = yield* Effect.gen(function* () {
        const store = yield* EventStore
        yield* store.startExecution(id, messageReceived())
        return yield* store.append(id, events, { idempotencyKey: "durable" })
      }).pipe(Effect.provide(EventStore.layer({ path: file })))
      const again = yield* Effect.gen(function* () {
        const store = yield* EventStore
        const r = yield* store.append(id, events, { idempotencyKey: "durable" })
        return { r, version: yield* store.streamVersion(id) }
      }).pipe(Effect.provide(EventStore.layer({ path: file })))
      expect(again.r).toEqual({ ...first, deduplicated: true })
      expect(again.r.positions).toEqual([2, 3, 4])
      expect(again.version).toBe(4)
    })
  )

  it.scoped("deduplicates across two connections", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const a = Context.get(yield* Layer.build(EventStore.layer({ path: file })), EventStore)
      const b = Context.get(yield* Layer.build(EventStore.layer({ path: file })), EventStore)
      const id = newId()
      yield* a.startExecution(id, messageReceived())
      const first = yield* a.append(id, [toolInvoked(1)], { idempotencyKey: "shared" })
      const second = yield* b.append(id, [toolInvoked(1)], { idempotencyKey: "shared" })
      expect(second).toEqual({ ...first, deduplicated: true })
    })
  )
})
