import { Timestamp } from "@cratos/domain"
import { Database, EventStore, Retention } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { backends, messageReceived, newId, repoRoot, toolInvoked } from "./helpers.js"

const withRetention = (layer: Layer.Layer<EventStore | Database, unknown>) =>
  Layer.provideMerge(Retention.layer, layer)

const sqlError = (f: () => unknown): { code?: string; message: string } | undefined => {
  try {
    f()
    return undefined
  } catch (e) {
    return e as { code?: string; message: string }
  }
}

/** An execution with events and a row in every read-model table, optionally finished. */
const seeded = (status?: "completed" | "failed" | "running", completedAt?: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const { connection } = yield* Database
    const id = newId()
    yield* store.startExecution(id, messageReceived())
    const r = yield* store.append(id, [toolInvoked(1), toolInvoked(2)], { idempotencyKey: `k-${id}` })
    connection.prepare("INSERT INTO execution_summaries (execution_id, event_count) VALUES (?, 3)").run(id)
    connection
      .prepare(
        "INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at) VALUES (?, ?, 'exec', 1, 5, 'x')"
      )
      .run(r.positions[1], id)
    connection
      .prepare(
        "INSERT INTO projector_dead_letters (projection, position, execution_id, error, recorded_at) VALUES ('p', ?, ?, 'e', 'x')"
      )
      .run(r.positions[0], id)
    if (status !== undefined) {
      connection.prepare("UPDATE executions SET status = ?, completed_at = ? WHERE id = ?").run(status, completedAt ?? null, id)
    }
    return id
  })

const rowsOf = (connection: Database["Type"]["connection"], id: string) => ({
  events: connection.prepare("SELECT count(*) FROM execution_events WHERE execution_id = ?").pluck().get(id),
  executions: connection.prepare("SELECT count(*) FROM executions WHERE id = ?").pluck().get(id),
  summaries: connection.prepare("SELECT count(*) FROM execution_summaries WHERE execution_id = ?").pluck().get(id),
  toolCalls: connection.prepare("SELECT count(*) FROM tool_calls WHERE execution_id = ?").pluck().get(id),
  deadLetters: connection.prepare("SELECT count(*) FROM projector_dead_letters WHERE execution_id = ?").pluck().get(id),
  keys: connection.prepare("SELECT count(*) FROM idempotency_keys WHERE execution_id = ?").pluck().get(id)
})

describe.each(backends)("the append-only log on $name", (backend) => {
  it.effect("refuses an UPDATE of execution_events in the database", () =>
    Effect.gen(function* () {
      const { connection } = yield* Database
      const id = yield* seeded("completed")
      const err = sqlError(() => connection.prepare("UPDATE execution_events SET event_data = '{}' WHERE execution_id = ?").run(id))
      expect(err?.code).toBe("SQLITE_CONSTRAINT_TRIGGER")
      expect(err?.message).toContain("append-only")
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("refuses a DELETE of events outside pruning, and a partial delete cannot commit", () =>
    Effect.gen(function* () {
      const { connection } = yield* Database
      const id = yield* seeded("completed")
      const plain = sqlError(() => connection.prepare("DELETE FROM execution_events WHERE execution_id = ?").run(id))
      expect(plain?.code).toBe("SQLITE_CONSTRAINT_TRIGGER")
      // Marked, but only part deleted: the mark cannot be removed and the commit fails.
      const partial = sqlError(() =>
        connection.transaction(() => {
          connection.prepare("INSERT INTO prune_marks (execution_id) VALUES (?)").run(id)
          connection.prepare("DELETE FROM execution_events WHERE id = (SELECT min(id) FROM execution_events WHERE execution_id = ?)").run(id)
        })()
      )
      expect(partial?.code).toBe("SQLITE_CONSTRAINT_FOREIGNKEY")
      const unmark = sqlError(() =>
        connection.transaction(() => {
          connection.prepare("INSERT INTO prune_marks (execution_id) VALUES (?)").run(id)
          connection.prepare("DELETE FROM execution_events WHERE id = (SELECT min(id) FROM execution_events WHERE execution_id = ?)").run(id)
          connection.prepare("DELETE FROM prune_marks WHERE execution_id = ?").run(id)
        })()
      )
      expect(unmark?.message).toContain("prune mark")
      expect(rowsOf(connection, id).events).toBe(3)
      // A running execution cannot even be marked.
      const running = yield* seeded("running")
      const mark = sqlError(() => connection.prepare("INSERT INTO prune_marks (execution_id) VALUES (?)").run(running))
      expect(mark?.message).toContain("completed or failed")
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("refuses to prune an execution that is not finished, deleting nothing", () =>
    Effect.gen(function* () {
      const retention = yield* Retention
      const { connection } = yield* Database
      const pending = yield* seeded()
      const running = yield* seeded("running")
      expect(yield* Effect.flip(retention.pruneExecution(pending))).toMatchObject({
        _tag: "ExecutionNotFinished",
        status: "pending"
      })
      expect(yield* Effect.flip(retention.pruneExecution(running))).toMatchObject({ _tag: "ExecutionNotFinished" })
      expect(yield* Effect.flip(retention.pruneExecution("nope"))).toMatchObject({ _tag: "ExecutionNotFound" })
      expect(rowsOf(connection, running)).toEqual({ events: 3, executions: 1, summaries: 1, toolCalls: 1, deadLetters: 1, keys: 1 })
    }).pipe(Effect.provide(withRetention(backend.layer())))
  )

  it.effect("prunes a finished execution with everything derived from it, leaving others alone", () =>
    Effect.gen(function* () {
      const retention = yield* Retention
      const store = yield* EventStore
      const { connection } = yield* Database
      const done = yield* seeded("completed", "2025-11-26T10:10:37Z")
      const failed = yield* seeded("failed", "2025-11-26T10:10:38Z")
      const other = yield* seeded("running")
      expect(yield* retention.pruneExecution(done)).toEqual({ executionId: done, events: 3 })
      expect(rowsOf(connection, done)).toEqual({ events: 0, executions: 0, summaries: 0, toolCalls: 0, deadLetters: 0, keys: 0 })
      expect(connection.prepare("SELECT count(*) FROM prune_marks").pluck().get()).toBe(0)
      expect(rowsOf(connection, other)).toEqual({ events: 3, executions: 1, summaries: 1, toolCalls: 1, deadLetters: 1, keys: 1 })
      yield* retention.pruneExecution(failed)
      expect(yield* store.getEvents(other)).toHaveLength(3)
      // The id can start again; positions keep growing (AUTOINCREMENT).
      const last = yield* store.lastPosition
      const restarted = yield* store.startExecution(done, messageReceived())
      expect(restarted.position).toBeGreaterThan(last)
      expect(yield* store.streamVersion(done)).toBe(1)
    }).pipe(Effect.provide(withRetention(backend.layer())))
  )

  it.effect("finds the executions finished before a time, comparing instants", () =>
    Effect.gen(function* () {
      const retention = yield* Retention
      const early = yield* seeded("completed", "2025-11-26T10:10:37.250Z")
      const rust = yield* seeded("failed", "2025-11-26T10:10:36.500+00:00")
      yield* seeded("completed", "2025-11-26T10:10:38Z")
      yield* seeded("running")
      const ids = yield* retention.findPrunable(Timestamp.unsafeMake("2025-11-26T10:10:37.5Z"))
      expect([...ids].sort()).toEqual([early, rust].sort())
      // `37Z` sorts after `37.250Z` as text, yet is earlier.
      expect(yield* retention.findPrunable(Timestamp.unsafeMake("2025-11-26T10:10:37Z"))).toEqual([rust])
    }).pipe(Effect.provide(withRetention(backend.layer())))
  )
})

describe("the store's source", () => {
  it("never updates execution_events", () => {
    const dir = path.join(repoRoot, "packages/store/src")
    const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    for (const f of files) {
      expect(fs.readFileSync(path.join(dir, f), "utf8"), f).not.toMatch(/UPDATE\s+[`"]?execution_events/i)
    }
  })
})
