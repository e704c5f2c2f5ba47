/**
 * Disk full and read-only databases (issue #7): the write fails with the store's StorageError
 * naming the SQLite code and the file, and nothing of it is left behind — no row, no gap in
 * the positions, no used-up idempotency key — and the connection keeps working.
 *
 * Disk full is `PRAGMA max_page_count` on the store's own connection (Database service).
 * Read-only is a `readonly` open and `PRAGMA query_only` here; the file chmod 0400 in a folder
 * chmod 0500 is in the fault suite (test/faults/readOnlyFile.test.ts: child processes).
 */
import { Database, EventStore } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import type BetterSqlite3 from "better-sqlite3"
import { Context, Effect, Layer } from "effect"
import * as path from "node:path"
import { messageReceived, newId, tempDir, toolInvoked } from "../store/helpers.js"

const storeOn = (layer: Layer.Layer<EventStore | Database, unknown>) =>
  Effect.map(Layer.build(layer), (ctx) => ({
    store: Context.get(ctx, EventStore),
    db: Context.get(ctx, Database).connection
  }))

const countRows = (db: BetterSqlite3.Database) => ({
  events: db.prepare("SELECT count(*) FROM execution_events").pluck().get() as number,
  executions: db.prepare("SELECT count(*) FROM executions").pluck().get() as number,
  keys: db.prepare("SELECT count(*) FROM idempotency_keys").pluck().get() as number
})

/** Positions 1..N with no gap (a rolled-back append must not burn AUTOINCREMENT ids). */
const expectNoGap = (db: BetterSqlite3.Database) => {
  const ids = db.prepare("SELECT id FROM execution_events ORDER BY id").pluck().all() as Array<number>
  expect(ids).toEqual(ids.map((_, i) => i + 1))
}

const figures = { diskFull: 0, readOnly: 0 }

describe("disk full", () => {
  it.scoped("fails the append with StorageError SQLITE_FULL naming the file and leaves nothing of it", () =>
    Effect.gen(function* () {
      const file = path.join(tempDir(), "cratos.db")
      const { store, db } = yield* storeOn(EventStore.layer({ path: file }))
      const id = newId()
      yield* store.startExecution(id, messageReceived())
      yield* store.append(id, [toolInvoked(1), toolInvoked(2)], { expectedVersion: 1 })
      const before = countRows(db)
      const pages = db.pragma("page_count", { simple: true }) as number
      // Room for a few pages: the first 20 kB event of the batch fits, the next ones do not.
      db.pragma(`max_page_count = ${pages + 8}`)
      const big = (n: number) => toolInvoked(n, { n, blob: "x".repeat(20_000) })
      const batch = [big(3), big(4), big(5), big(6), big(7)]

      const err = yield* Effect.flip(store.append(id, batch, { expectedVersion: 3, idempotencyKey: "full-1" }))
      expect(err).toMatchObject({
        _tag: "StorageError",
        code: "SQLITE_FULL",
        path: file,
        operation: "EventStore.append"
      })
      expect(err.message).toContain(file)
      expect(err.message).toContain("SQLITE_FULL")
      figures.diskFull++

      // A new execution whose MessageReceived does not fit: no executions row either.
      const id2 = newId()
      const err2 = yield* Effect.flip(store.startExecution(id2, messageReceived({ text: "y".repeat(60_000) })))
      expect(err2).toMatchObject({ _tag: "StorageError", code: "SQLITE_FULL", path: file })
      figures.diskFull++

      // A single insertEvent (seed semantics) too.
      const err3 = yield* Effect.flip(store.insertEvent(id, "u", big(8)))
      expect(err3).toMatchObject({ _tag: "StorageError", code: "SQLITE_FULL", path: file })
      figures.diskFull++

      expect(countRows(db)).toEqual(before)
      expect(yield* store.streamVersion(id)).toBe(3)
      expect(yield* store.streamVersion(id2)).toBe(0)
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok")
      expect(db.inTransaction).toBe(false)

      // Space again: the same request (same idempotency key) goes through, right after the last position.
      db.pragma("max_page_count = 1073741823")
      const last = yield* store.lastPosition
      const ok = yield* store.append(id, batch, { expectedVersion: 3, idempotencyKey: "full-1" })
      expect(ok).toMatchObject({
        version: 8,
        deduplicated: false,
        positions: [last + 1, last + 2, last + 3, last + 4, last + 5]
      })
      yield* store.startExecution(id2, messageReceived({ text: "y".repeat(60_000) }))
      expectNoGap(db)
    })
  )
})

describe("read-only database", () => {
  const seeded = () =>
    Effect.gen(function* () {
      const file = path.join(tempDir(), "cratos.db")
      const id = newId()
      yield* Effect.scoped(
        Effect.gen(function* () {
          const { store } = yield* storeOn(EventStore.layer({ path: file }))
          yield* store.startExecution(id, messageReceived())
          yield* store.append(id, [toolInvoked(1)])
        })
      )
      return { file, id }
    })

  it.scoped("opened readonly: append and start fail with StorageError SQLITE_READONLY naming the file", () =>
    Effect.gen(function* () {
      const { file, id } = yield* seeded()
      const { store, db } = yield* storeOn(
        EventStore.layerFromDatabase().pipe(Layer.provideMerge(Database.layer({ path: file, readonly: true })))
      )
      const before = countRows(db)
      const err = yield* Effect.flip(store.append(id, [toolInvoked(2)], { expectedVersion: 2 }))
      expect(err).toMatchObject({ _tag: "StorageError", code: "SQLITE_READONLY", path: file })
      expect(err.message).toContain(file)
      const err2 = yield* Effect.flip(store.startExecution(newId(), messageReceived()))
      expect(err2).toMatchObject({ _tag: "StorageError", code: "SQLITE_READONLY", path: file })
      figures.readOnly += 2
      expect(countRows(db)).toEqual(before)
      expect((yield* store.readStream(id)).length).toBe(2)
    })
  )

  it.scoped(
    "PRAGMA query_only on a read-write connection: SQLITE_READONLY, nothing written, writable again after",
    () =>
      Effect.gen(function* () {
        const { file, id } = yield* seeded()
        const { store, db } = yield* storeOn(EventStore.layer({ path: file }))
        const before = countRows(db)
        db.pragma("query_only = ON")
        const err = yield* Effect.flip(
          store.append(id, [toolInvoked(2), toolInvoked(3)], { expectedVersion: 2, idempotencyKey: "ro" })
        )
        expect(err).toMatchObject({ _tag: "StorageError", code: "SQLITE_READONLY", path: file })
        figures.readOnly++
        expect(countRows(db)).toEqual(before)
        db.pragma("query_only = OFF")
        const ok = yield* store.append(id, [toolInvoked(2), toolInvoked(3)], {
          expectedVersion: 2,
          idempotencyKey: "ro"
        })
        expect(ok.positions).toEqual([3, 4])
        expectNoGap(db)
      })
  )

  it("reports its figures", () => {
    console.log(
      `storage failures: ${figures.diskFull} writes refused with SQLITE_FULL, ${figures.readOnly} refused with SQLITE_READONLY ` +
        `(StorageError naming the file); 0 rows, 0 position gaps, 0 idempotency keys left behind`
    )
    expect(figures).toEqual({ diskFull: 3, readOnly: 3 })
  })
})
