import { encodeEventJson } from "@cratos/domain"
import { sample } from "@cratos/domain/testing"
import {
  defaultProjections,
  executionStatus,
  makeBatchApplier,
  noRows,
  type Projection,
  Projector,
  ReadModel
} from "@cratos/projector"
import { Database, EventStore, type LogEntry } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Either, Exit, Stream } from "effect"
import { TestSql } from "../store/helpers.js"
import {
  insertRawSql,
  memoryLayer,
  type ProjectorBackendUnderTest,
  projectorBackends,
  record,
  snapshot,
  snapshotSql
} from "./harness.js"

const wire = (e: Parameters<typeof encodeEventJson>[0]) => Either.getOrThrow(encodeEventJson(e))

const readEntries = Effect.gen(function* () {
  const store = yield* EventStore
  return Chunk.toReadonlyArray(yield* Stream.runCollect(store.readLog()))
})

describe("projector checkpoints", () => {
  it.effect("applying the same batch twice changes nothing: the checkpoints guard it", () =>
    Effect.gen(function* () {
      yield* record("e1", [
        sample.message(0),
        sample.plan(1),
        sample.toolInvoked("a", 2),
        sample.toolCompleted("a", true, 3)
      ])
      const projector = yield* Projector
      yield* projector.catchUp
      const { connection: db } = yield* Database
      const before = snapshot(db)
      const entries: ReadonlyArray<LogEntry> = yield* readEntries
      const apply = makeBatchApplier(db, defaultProjections, "dead-letter")
      apply(entries, "2025-01-01T00:00:00.000Z")
      apply(entries.slice(1), "2025-01-01T00:00:00.000Z")
      expect(snapshot(db)).toEqual(before)
      const again = yield* projector.catchUp
      expect(again.events).toBe(0)
      expect(snapshot(db)).toEqual(before)
    }).pipe(Effect.provide(memoryLayer()))
  )
})

/**
 * Log rows whose execution has no `executions` row (a database written without foreign keys):
 * SQLite with `foreign_keys` off, PostgreSQL with its triggers (foreign keys) off for one
 * transaction. Their positions.
 */
const withoutForeignKeys = (
  backend: ProjectorBackendUnderTest,
  rows: ReadonlyArray<readonly [executionId: string, eventType: string, eventData: string]>
) =>
  Effect.gen(function* () {
    const sql = yield* TestSql
    const insert = `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)`
    const values = (r: (typeof rows)[number]) => [insert, r[0], "user-1", r[1], r[2], "2025-11-26T10:00:00Z"] as const
    if (backend.dialect === "sqlite") {
      yield* sql.all("PRAGMA foreign_keys = OFF")
      for (const r of rows) yield* sql.all(...values(r))
      yield* sql.all("PRAGMA foreign_keys = ON")
    } else {
      yield* sql.transaction([["SET LOCAL session_replication_role = replica"], ...rows.map(values)])
    }
    const ids = yield* sql.all<{ id: number }>(`SELECT id FROM execution_events ORDER BY id DESC LIMIT ?`, rows.length)
    return ids.map((r) => Number(r.id)).reverse()
  })

describe.each(projectorBackends())("the projector on $name", (backend) => {
  describe("projector checkpoints", () => {
    it.effect("a projection whose version changed is reset and rebuilt automatically", () =>
      Effect.gen(function* () {
        yield* record("e1", [sample.message(0), sample.plan(1), sample.response(2)])
        const projector = yield* Projector
        yield* projector.catchUp
        const sql = yield* TestSql
        const before = yield* snapshotSql
        // Simulate a read model written by version 0 of the status projection, and damage it.
        yield* sql.all(`UPDATE projection_checkpoints SET version = 0 WHERE name = ?`, executionStatus.name)
        yield* sql.all(`UPDATE executions SET status = 'failed'`)
        const result = yield* projector.catchUp
        expect(result.events).toBe(3)
        expect(yield* snapshotSql).toEqual(before)
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("refuses to take a projection back to an older version", () =>
      Effect.gen(function* () {
        yield* record("e1", [sample.message(0)])
        const projector = yield* Projector
        yield* projector.catchUp
        const sql = yield* TestSql
        yield* sql.all(`UPDATE projection_checkpoints SET version = 99 WHERE name = ?`, executionStatus.name)
        const error = yield* Effect.flip(projector.catchUp)
        expect(error._tag).toBe("ProjectionVersionAhead")
        // An explicit rebuild takes it back.
        yield* projector.rebuild(executionStatus.name)
        expect((yield* projector.lag).projections.every((p) => p.lag === 0)).toBe(true)
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("rebuild resets one projection and replays it from 0 to the same tables", () =>
      Effect.gen(function* () {
        yield* record("e1", [
          sample.message(0),
          sample.toolInvoked("a", 1),
          sample.toolCompleted("a", true, 2),
          sample.response(3)
        ])
        const projector = yield* Projector
        yield* projector.catchUp
        const before = yield* snapshotSql
        const result = yield* projector.rebuild("execution_summary")
        expect(result.events).toBe(4)
        expect(yield* snapshotSql).toEqual(before)
        const all = yield* projector.rebuild()
        expect(all.events).toBe(4)
        expect(yield* snapshotSql).toEqual(before)
        const unknown = yield* Effect.flip(projector.rebuild("nope"))
        expect(unknown._tag).toBe("UnknownProjection")
      }).pipe(Effect.provide(backend.layer()))
    )

    it.live("lag and waitFor follow the checkpoints", () =>
      Effect.gen(function* () {
        yield* record("e1", [sample.message(0), sample.plan(1)])
        const projector = yield* Projector
        const rm = yield* ReadModel
        expect((yield* rm.status()).projections.map((p) => p.lag)).toEqual([2, 2, 2])
        const timeout = yield* Effect.flip(projector.waitFor(2, { timeout: "20 millis" }))
        expect(timeout).toMatchObject({ _tag: "ProjectionTimeout", position: 2, reached: 0 })
        const waiting = yield* Effect.fork(projector.waitFor(2, { timeout: "5 seconds" }))
        yield* projector.catchUp
        yield* waiting.await
        const status = yield* projector.lag
        expect(status.last_position).toBe(2)
        expect(status.projections.map((p) => [p.name, p.position, p.lag])).toEqual([
          ["execution_status", 2, 0],
          ["execution_summary", 2, 0],
          ["tool_calls", 2, 0]
        ])
      }).pipe(Effect.provide(backend.layer()))
    )
  })

  describe("poison events", () => {
    const withPoison = Effect.gen(function* () {
      yield* record("e1", [sample.message(0), sample.plan(1)])
      const bad = yield* insertRawSql(
        "e1",
        "PlanGenerated",
        `{"type":"PlanGenerated","plan":{"goal":"x"},"password":"hunter2"}`
      )
      yield* record("e1", [sample.response(3)])
      return { bad }
    })

    it.effect("dead-letter (default): the row is recorded per projection, skipped, and the rest is applied", () =>
      Effect.gen(function* () {
        const { bad } = yield* withPoison
        const projector = yield* Projector
        const result = yield* projector.catchUp
        expect(result).toMatchObject({ events: 4, deadLetters: 3, position: 4 })
        const s = yield* snapshotSql
        expect(s.deadLetters.map((d) => [d.projection, d.position, d.execution_id])).toEqual([
          ["execution_status", bad, "e1"],
          ["execution_summary", bad, "e1"],
          ["tool_calls", bad, "e1"]
        ])
        expect(String(s.deadLetters[0]?.error)).toMatch(/does not decode/)
        expect(JSON.stringify(s.deadLetters)).not.toContain("hunter2")
        expect(s.executions[0]).toMatchObject({ status: "completed" })
        expect(s.summaries[0]).toMatchObject({ event_count: 3 })
        // Nothing is retried: a second run has nothing to do.
        expect((yield* projector.catchUp).events).toBe(0)
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("stop: fails with PoisonEvent naming position and execution, and leaves the checkpoint before it", () =>
      Effect.gen(function* () {
        const { bad } = yield* withPoison
        const projector = yield* Projector
        const exit = yield* Effect.exit(projector.catchUp)
        expect(Exit.isFailure(exit)).toBe(true)
        const error = yield* Effect.flip(projector.catchUp)
        expect(error).toMatchObject({ _tag: "PoisonEvent", position: bad, executionId: "e1" })
        expect(error.message).not.toContain("hunter2")
        const s = yield* snapshotSql
        expect(s.deadLetters).toEqual([])
        expect(s.checkpoints.every((c) => (c.position as number) < bad)).toBe(true)
      }).pipe(Effect.provide(backend.layer({ poison: "stop", batchSize: 2 })))
    )

    const PROBE = `INSERT INTO projector_dead_letters (projection, position, execution_id, error, recorded_at) VALUES ('probe', ?, ?, 'applied', '')`
    const failingOn = (position: number): Projection => ({
      name: "fragile",
      version: 1,
      canHandle: ["PlanGenerated", "ResponseSent"],
      fold: (events) =>
        events.map((e) => {
          if (e.position === position) throw new Error("cannot place this event")
          return [e.position, e.executionId] as const
        }),
      sqlite: {
        load: noRows.sqlite,
        write: (ctx, rows) => {
          for (const row of rows as ReadonlyArray<readonly [number, string]>) ctx.statement(PROBE).run(...row)
        },
        reset: (ctx) => {
          ctx.statement(`DELETE FROM projector_dead_letters WHERE projection = 'probe'`).run()
        }
      },
      postgres: {
        load: noRows.postgres,
        write: async (ctx, rows) => {
          for (const row of rows as ReadonlyArray<readonly [number, string]>) {
            await ctx.query({ text: PROBE.replace("?", "$1").replace("?", "$2"), values: row })
          }
        },
        reset: async (ctx) => {
          await ctx.query({ text: `DELETE FROM projector_dead_letters WHERE projection = 'probe'` })
        }
      }
    })

    it.effect("a handler failing on one event of a batch dead-letters that event only", () =>
      Effect.gen(function* () {
        yield* record("e1", [sample.message(0), sample.plan(1), sample.plan(2), sample.response(3)])
        const projector = yield* Projector
        yield* projector.catchUp
        const rows = yield* (yield* TestSql).all(
          `SELECT projection, position, error FROM projector_dead_letters ORDER BY position`
        )
        expect(rows).toEqual([
          { projection: "probe", position: 2, error: "applied" },
          { projection: "fragile", position: 3, error: "cannot place this event" },
          { projection: "probe", position: 4, error: "applied" }
        ])
      }).pipe(Effect.provide(backend.layer({ projections: [failingOn(3)] })))
    )

    it.effect("a handler failure under stop fails the run and applies nothing of the batch", () =>
      Effect.gen(function* () {
        yield* record("e1", [sample.message(0), sample.plan(1), sample.plan(2), sample.response(3)])
        const projector = yield* Projector
        const error = yield* Effect.flip(projector.catchUp)
        expect(error).toMatchObject({ _tag: "PoisonEvent", projection: "fragile", position: 3, executionId: "e1" })
        expect(yield* (yield* TestSql).all(`SELECT count(*) AS n FROM projector_dead_letters`)).toEqual([{ n: 0 }])
      }).pipe(Effect.provide(backend.layer({ projections: [failingOn(3)], poison: "stop" })))
    )

    it.effect("events of an execution without a row or a MessageReceived are poison for the status", () =>
      Effect.gen(function* () {
        const [orphan] = yield* withoutForeignKeys(backend, [["ghost", "PlanGenerated", wire(sample.plan(1))]])
        const projector = yield* Projector
        yield* projector.catchUp
        const s = yield* snapshotSql
        expect(s.deadLetters.map((d) => [d.projection, d.position])).toEqual([
          ["execution_status", orphan],
          ["execution_summary", orphan]
        ])
        expect(s.executions).toEqual([])
      }).pipe(Effect.provide(backend.layer()))
    )

    it.effect("a missing executions row is created from the execution's MessageReceived", () =>
      Effect.gen(function* () {
        yield* withoutForeignKeys(backend, [
          ["lost", "MessageReceived", wire(sample.message(0))],
          ["lost", "ResponseSent", wire(sample.response(2))]
        ])
        yield* (yield* Projector).catchUp
        const s = yield* snapshotSql
        expect(s.executions).toEqual([
          {
            id: "lost",
            user_id: "user-1",
            channel: "cli",
            input_text: "read README.md",
            status: "completed",
            created_at: sample.message(0).timestamp,
            completed_at: sample.response(2).timestamp
          }
        ])
        expect(s.summaries[0]).toMatchObject({ execution_id: "lost", event_count: 2 })
        expect(s.deadLetters).toEqual([])
      }).pipe(Effect.provide(backend.layer()))
    )
  })
})
