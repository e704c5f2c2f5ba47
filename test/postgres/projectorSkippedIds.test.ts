/**
 * The skipped-id hazard, with the projector on PostgreSQL: a sequence hands out ids in allocation
 * order, not commit order, so a reader can see id N+1 committed while id N is still in flight; a
 * checkpoint past N would lose it for good. The store's inserts take the log's advisory lock
 * (held to the commit), so ids become visible in id order.
 *
 * 1. A writer holds its transaction open (the store's way: the log lock, then its insert) while
 *    two others append: they queue behind it and commit higher ids only after it. The projector
 *    runs during the hold (sees only what is committed), then after: the held event is applied
 *    once it commits, exactly once, and so is every other.
 * 2. The control: the same interleaving by a writer that skips the lock loses its event, which
 *    is why the lock is there (and shows that test 1 could fail).
 */
import { encodeEventJson, type ExecutionEvent } from "@cratos/domain"
import { sample } from "@cratos/domain/testing"
import { Projector } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { LOG_LOCK_KEY, PostgresDatabase } from "@cratos/store/postgres"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber } from "effect"
import { TestSql } from "../store/helpers.js"
import { postgresAvailable } from "../support/postgresCluster.js"
import { postgresLayer, record, snapshotSql } from "../projector/harness.js"

const wire = (e: ExecutionEvent) => Either.getOrThrow(encodeEventJson(e))

/** A transaction left open on its own connection: `insert` the held event, `commit` later. */
const heldWriter = (withLogLock: boolean) =>
  Effect.gen(function* () {
    const { pool } = yield* PostgresDatabase
    const client = yield* Effect.acquireRelease(
      Effect.promise(() => pool.connect()),
      (c) => Effect.sync(() => c.release())
    )
    const insert = (executionId: string, event: ExecutionEvent) =>
      Effect.promise(async () => {
        await client.query("BEGIN")
        if (withLogLock) await client.query(`SELECT pg_advisory_xact_lock(${LOG_LOCK_KEY})`)
        const r = await client.query<{ id: number }>(
          `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
           VALUES ($1, 'user-1', $2, $3, $4) RETURNING id`,
          [executionId, event.type, wire(event), event.timestamp]
        )
        return Number(r.rows[0]!.id)
      })
    const commit = Effect.promise(() => client.query("COMMIT"))
    return { insert, commit }
  })

const toolCallPositions = Effect.flatMap(TestSql, (sql) =>
  sql.all<{ position: number }>(`SELECT position FROM tool_calls ORDER BY position`)
)

describe.skipIf(!postgresAvailable())("the projector never skips an event on PostgreSQL", () => {
  it.live(
    "a writer holds its transaction open while others append: the held event is applied once it commits, exactly once",
    () =>
      Effect.gen(function* () {
        yield* record("e1", [sample.message(0)])
        yield* record("e2", [sample.message(0)])
        const store = yield* EventStore
        const projector = yield* Projector
        yield* projector.catchUp
        yield* record("e3", [sample.message(0)])
        const held = yield* heldWriter(true)

        const heldId = yield* held.insert("e1", sample.toolCompleted("held", true, 1))
        // Two writers append meanwhile: each queues on the log lock, behind the held transaction.
        const others = yield* Effect.forkScoped(
          Effect.all(
            [
              store.append("e2", [sample.toolCompleted("b", true, 1)]),
              store.append("e2", [sample.toolCompleted("c", true, 2)])
            ],
            { concurrency: 2 }
          )
        )
        yield* Effect.sleep("300 millis")
        expect(others.unsafePoll()).toBeNull()

        // The projector during the hold: what is committed (e3), nothing at or past the held id.
        const during = yield* projector.catchUp
        expect(during.events).toBe(1)
        expect(during.position).toBeLessThan(heldId)
        expect(yield* toolCallPositions).toEqual([])

        yield* held.commit
        const appended = yield* Fiber.join(others)
        const higher = appended.flatMap((a) => a.positions)
        expect(Math.min(...higher)).toBeGreaterThan(heldId)

        yield* projector.catchUp
        expect((yield* toolCallPositions).map((r) => Number(r.position))).toEqual([
          heldId,
          ...higher.sort((a, b) => a - b)
        ])
        const s = yield* snapshotSql
        expect(s.summaries.map((r) => [r.execution_id, r.event_count])).toEqual([
          ["e1", 2],
          ["e2", 3],
          ["e3", 1]
        ])
        expect(s.checkpoints.every((c) => c.position === Math.max(...higher))).toBe(true)
        // Once more: nothing left, nothing applied twice.
        expect((yield* projector.catchUp).events).toBe(0)
        expect(yield* toolCallPositions).toHaveLength(3)
      }).pipe(Effect.scoped, Effect.provide(postgresLayer()))
  )

  it.live("control: a writer that skips the log lock loses its event behind a later commit", () =>
    Effect.gen(function* () {
      yield* record("e1", [sample.message(0)])
      yield* record("e2", [sample.message(0)])
      const store = yield* EventStore
      const projector = yield* Projector
      const held = yield* heldWriter(false)

      const heldId = yield* held.insert("e1", sample.toolCompleted("held", true, 1))
      const later = yield* store.append("e2", [sample.toolCompleted("b", true, 1)])
      expect(later.positions[0]).toBeGreaterThan(heldId)
      yield* projector.catchUp
      yield* held.commit
      yield* projector.catchUp
      // The held id committed below the checkpoint: never applied.
      expect((yield* toolCallPositions).map((r) => Number(r.position))).toEqual(later.positions)
    }).pipe(Effect.scoped, Effect.provide(postgresLayer()))
  )
})
