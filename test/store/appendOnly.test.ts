import { Timestamp } from "@cratos/domain"
import { EventStore, Retention } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { allBackends, messageReceived, newId, repoRoot, TestSql, toolInvoked } from "./helpers.js"

/** What each dialect reports for a trigger's refusal and for a deferred foreign key at commit. */
const CODES = {
  sqlite: { trigger: "SQLITE_CONSTRAINT_TRIGGER", foreignKey: "SQLITE_CONSTRAINT_FOREIGNKEY" },
  postgres: { trigger: "23001", foreignKey: "23503" }
} as const

const failure = (e: Effect.Effect<unknown, unknown>) =>
  Effect.map(Effect.flip(e), (err) => err as { code?: string; message: string })

/** An execution with events and a row in every read-model table, optionally finished. */
const seeded = (status?: "completed" | "failed" | "running", completedAt?: string) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const sql = yield* TestSql
    const id = newId()
    yield* store.startExecution(id, messageReceived())
    const r = yield* store.append(id, [toolInvoked(1), toolInvoked(2)], { idempotencyKey: `k-${id}` })
    yield* sql.all("INSERT INTO execution_summaries (execution_id, event_count) VALUES (?, 3)", id)
    yield* sql.all(
      "INSERT INTO tool_calls (position, execution_id, tool, success, duration_ms, completed_at) VALUES (?, ?, 'exec', 1, 5, 'x')",
      r.positions[1],
      id
    )
    yield* sql.all(
      "INSERT INTO projector_dead_letters (projection, position, execution_id, error, recorded_at) VALUES ('p', ?, ?, 'e', 'x')",
      r.positions[0],
      id
    )
    if (status !== undefined) {
      yield* sql.all("UPDATE executions SET status = ?, completed_at = ? WHERE id = ?", status, completedAt ?? null, id)
    }
    return id
  })

const count = (sql: string, id: string) =>
  Effect.flatMap(TestSql, (t) => Effect.map(t.all<{ n: number }>(sql, id), (rows) => Number(rows[0]?.n)))

const rowsOf = (id: string) =>
  Effect.all({
    events: count("SELECT count(*) AS n FROM execution_events WHERE execution_id = ?", id),
    executions: count("SELECT count(*) AS n FROM executions WHERE id = ?", id),
    summaries: count("SELECT count(*) AS n FROM execution_summaries WHERE execution_id = ?", id),
    toolCalls: count("SELECT count(*) AS n FROM tool_calls WHERE execution_id = ?", id),
    deadLetters: count("SELECT count(*) AS n FROM projector_dead_letters WHERE execution_id = ?", id),
    keys: count("SELECT count(*) AS n FROM idempotency_keys WHERE execution_id = ?", id)
  })

describe.each(allBackends())("the append-only log on $name", (backend) => {
  it.effect("refuses an UPDATE of execution_events in the database", () =>
    Effect.gen(function* () {
      const sql = yield* TestSql
      const id = yield* seeded("completed")
      const err = yield* failure(sql.all("UPDATE execution_events SET event_data = '{}' WHERE execution_id = ?", id))
      expect(err.code).toBe(CODES[backend.dialect].trigger)
      expect(err.message).toContain("append-only")
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("refuses a DELETE of events outside pruning, and a partial delete cannot commit", () =>
    Effect.gen(function* () {
      const sql = yield* TestSql
      const id = yield* seeded("completed")
      const plain = yield* failure(sql.all("DELETE FROM execution_events WHERE execution_id = ?", id))
      expect(plain.code).toBe(CODES[backend.dialect].trigger)
      // Marked, but only part deleted: the mark cannot be removed and the commit fails.
      const mark = ["INSERT INTO prune_marks (execution_id) VALUES (?)", id] as const
      const deleteOne = [
        "DELETE FROM execution_events WHERE id = (SELECT min(id) FROM execution_events WHERE execution_id = ?)",
        id
      ] as const
      const partial = yield* failure(sql.transaction([mark, deleteOne]))
      expect(partial.code).toBe(CODES[backend.dialect].foreignKey)
      const unmark = yield* failure(
        sql.transaction([mark, deleteOne, ["DELETE FROM prune_marks WHERE execution_id = ?", id]])
      )
      expect(unmark.message).toContain("prune mark")
      expect((yield* rowsOf(id)).events).toBe(3)
      // A running execution cannot even be marked.
      const running = yield* seeded("running")
      const refused = yield* failure(sql.all("INSERT INTO prune_marks (execution_id) VALUES (?)", running))
      expect(refused.message).toContain("completed or failed")
      if (backend.dialect === "postgres") {
        // TRUNCATE skips row triggers on PostgreSQL: a statement trigger refuses it.
        expect((yield* failure(sql.all("TRUNCATE execution_events CASCADE"))).message).toContain("append-only")
      }
    }).pipe(Effect.provide(backend.layer()))
  )

  it.effect("refuses to prune an execution that is not finished, deleting nothing", () =>
    Effect.gen(function* () {
      const retention = yield* Retention
      const pending = yield* seeded()
      const running = yield* seeded("running")
      expect(yield* Effect.flip(retention.pruneExecution(pending))).toMatchObject({
        _tag: "ExecutionNotFinished",
        status: "pending"
      })
      expect(yield* Effect.flip(retention.pruneExecution(running))).toMatchObject({ _tag: "ExecutionNotFinished" })
      expect(yield* Effect.flip(retention.pruneExecution("nope"))).toMatchObject({ _tag: "ExecutionNotFound" })
      expect(yield* rowsOf(running)).toEqual({
        events: 3,
        executions: 1,
        summaries: 1,
        toolCalls: 1,
        deadLetters: 1,
        keys: 1
      })
    }).pipe(Effect.provide(backend.layerWithRetention()))
  )

  it.effect("prunes a finished execution with everything derived from it, leaving others alone", () =>
    Effect.gen(function* () {
      const retention = yield* Retention
      const store = yield* EventStore
      const sql = yield* TestSql
      const done = yield* seeded("completed", "2025-11-26T10:10:37Z")
      const failed = yield* seeded("failed", "2025-11-26T10:10:38Z")
      const other = yield* seeded("running")
      expect(yield* retention.pruneExecution(done)).toEqual({ executionId: done, events: 3 })
      expect(yield* rowsOf(done)).toEqual({
        events: 0,
        executions: 0,
        summaries: 0,
        toolCalls: 0,
        deadLetters: 0,
        keys: 0
      })
      expect(yield* sql.all("SELECT count(*) AS n FROM prune_marks")).toEqual([{ n: 0 }])
      expect(yield* rowsOf(other)).toEqual({
        events: 3,
        executions: 1,
        summaries: 1,
        toolCalls: 1,
        deadLetters: 1,
        keys: 1
      })
      yield* retention.pruneExecution(failed)
      expect(yield* store.getEvents(other)).toHaveLength(3)
      // The id can start again; positions keep growing (AUTOINCREMENT).
      const last = yield* store.lastPosition
      const restarted = yield* store.startExecution(done, messageReceived())
      expect(restarted.position).toBeGreaterThan(last)
      expect(yield* store.streamVersion(done)).toBe(1)
    }).pipe(Effect.provide(backend.layerWithRetention()))
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
    }).pipe(Effect.provide(backend.layerWithRetention()))
  )
})

describe("the store's source", () => {
  it("never updates execution_events", () => {
    const dir = path.join(repoRoot, "packages/store/src")
    const files = fs
      .readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    for (const f of files) {
      expect(fs.readFileSync(path.join(dir, f), "utf8"), f).not.toMatch(/UPDATE\s+[`"]?execution_events/i)
    }
  })
})
