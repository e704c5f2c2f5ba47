import { EventStore, Database } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { backends, messageReceived, newId, tempDbPath, toolInvoked } from "./helpers.js"

describe.each(backends)("atomic appends on $name", (backend) => {
  it.effect("writes nothing of a batch whose third event cannot be encoded", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const before = yield* store.lastPosition
      const batch = [toolInvoked(1), toolInvoked(2), toolInvoked(3, { text: "lone \uD800 surrogate" }), toolInvoked(4)]
      const err = yield* Effect.flip(store.append(id, batch, { expectedVersion: 1, idempotencyKey: "k" }))
      expect(err).toMatchObject({ _tag: "InvalidEvent", executionId: id, index: 2 })
      expect(err.message).toContain("surrogate")
      const big = yield* Effect.flip(store.append(id, [toolInvoked(1, { n: 10n })]))
      expect(big).toMatchObject({ _tag: "InvalidEvent", index: 0 })
      expect(yield* store.lastPosition).toBe(before)
      expect(yield* store.streamVersion(id)).toBe(1)
      // The key was not used up.
      const ok = yield* store.append(id, batch.slice(0, 2), { expectedVersion: 1, idempotencyKey: "k" })
      expect(ok.deduplicated).toBe(false)
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("rolls back every insert of a batch when SQLite fails inside the transaction", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const { connection } = yield* Database
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      yield* store.append(id, [toolInvoked(1)], { expectedVersion: 1 })
      // A connection-local trigger makes the third insert of the next batch fail.
      connection.exec(`CREATE TEMP TRIGGER fail_fifth BEFORE INSERT ON main.execution_events
        WHEN (SELECT count(*) FROM main.execution_events WHERE execution_id = NEW.execution_id) >= 4
        BEGIN SELECT RAISE(ABORT, 'injected failure'); END`)
      const err = yield* Effect.flip(
        store.append(id, [toolInvoked(2), toolInvoked(3), toolInvoked(4)], { expectedVersion: 2, idempotencyKey: "k2" })
      )
      expect(err).toMatchObject({
        _tag: "StorageError",
        code: "SQLITE_CONSTRAINT_TRIGGER",
        operation: "EventStore.append"
      })
      expect(yield* store.streamVersion(id)).toBe(2)
      expect(connection.prepare("SELECT count(*) FROM idempotency_keys").pluck().get()).toBe(0)
      connection.exec("DROP TRIGGER temp.fail_fifth")
      const ok = yield* store.append(id, [toolInvoked(2), toolInvoked(3), toolInvoked(4)], {
        expectedVersion: 2,
        idempotencyKey: "k2"
      })
      expect(ok.version).toBe(5)
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("refuses an append to an execution that does not exist", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const err = yield* Effect.flip(store.append("nope", [toolInvoked(1)]))
      expect(err).toMatchObject({ _tag: "ExecutionNotFound", executionId: "nope" })
      expect(yield* store.lastPosition).toBe(0)
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("refuses an event over the size cap", () =>
    Effect.gen(function* () {
      const store = yield* EventStore.makeWith({ maxEventBytes: 1024 })
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const err = yield* Effect.flip(store.append(id, [toolInvoked(1), toolInvoked(2, { blob: "é".repeat(600) })]))
      expect(err).toMatchObject({ _tag: "InvalidEvent", index: 1 })
      expect(err.message).toContain("1024 bytes")
      expect(yield* store.streamVersion(id)).toBe(1)
    }).pipe(Effect.provide(backend.layer()))
  )
})

describe("storage errors", () => {
  it.scoped("reports a locked database as StorageError SQLITE_BUSY with the file, writing nothing", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const holder = yield* Layer.build(EventStore.layer({ path: file }))
      const store = Context.get(holder, EventStore)
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      const other = Context.get(yield* Layer.build(EventStore.layer({ path: file, busyTimeoutMs: 20 })), EventStore)
      const db = Context.get(holder, Database).connection
      db.exec("BEGIN IMMEDIATE")
      const err = yield* Effect.flip(other.append(id, [toolInvoked(1)]))
      db.exec("ROLLBACK")
      expect(err).toMatchObject({ _tag: "StorageError", code: "SQLITE_BUSY", path: file })
      expect(yield* other.streamVersion(id)).toBe(1)
    })
  )

  it.effect("reports a read-only database as StorageError SQLITE_READONLY", () =>
    Effect.gen(function* () {
      const file = tempDbPath()
      const id = newId()
      yield* Effect.flatMap(EventStore, (s) => s.startExecution(id, messageReceived())).pipe(
        Effect.provide(EventStore.layer({ path: file }))
      )
      const err = yield* Effect.flatMap(EventStore, (s) => Effect.flip(s.append(id, [toolInvoked(1)]))).pipe(
        Effect.provide(EventStore.layer({ path: file, readonly: true }))
      )
      expect(err).toMatchObject({ _tag: "StorageError", code: "SQLITE_READONLY", path: file })
      expect(err.message).toContain(file)
    })
  )
})
