/**
 * Given/When/Then for projections, on a private in-memory database opened by the store (so the
 * migrations apply):
 *
 *   given(["e1", [sample.message(), sample.plan()]])
 *     .whenProjected()
 *     .then(({ execution }) => expect(execution("e1").status).toBe("running"))
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { Projector, type ProjectorOptions } from "@cratos/projector"
import { Database, EventStore } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"
import { Effect, Layer } from "effect"

export type Stream = readonly [executionId: string, events: ReadonlyArray<ExecutionEvent>]

/** The store and a projector on one fresh in-memory database. */
export const memoryLayer = (options: ProjectorOptions = {}) =>
  Projector.layer(options).pipe(Layer.provideMerge(EventStore.layerMemory))

/** Appends a stream as the write side would (its first event must be a MessageReceived). */
export const record = (executionId: string, events: ReadonlyArray<ExecutionEvent>) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const [first, ...rest] = events
    if (first === undefined) return
    const version = yield* store.streamVersion(executionId)
    if (version === 0) {
      yield* store.startExecution(executionId, first as MessageReceived)
      if (rest.length > 0) yield* store.append(executionId, rest)
    } else {
      yield* store.append(executionId, events)
    }
  })

/** Inserts a raw log row (any event_data, even one that does not decode), as another program could. */
export const insertRaw = (db: BetterSqlite3.Database, executionId: string, eventType: string, eventData: string) =>
  Number(
    db
      .prepare(
        `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?)`
      )
      .run(executionId, "user-1", eventType, eventData, "2025-11-26T10:00:00Z").lastInsertRowid
  )

export interface Snapshot {
  readonly executions: ReadonlyArray<Record<string, unknown>>
  readonly summaries: ReadonlyArray<Record<string, unknown>>
  readonly toolCalls: ReadonlyArray<Record<string, unknown>>
  readonly checkpoints: ReadonlyArray<Record<string, unknown>>
  readonly deadLetters: ReadonlyArray<Record<string, unknown>>
}

/** Every read-model table, ordered, without the columns that hold wall-clock times. */
export const snapshot = (db: BetterSqlite3.Database): Snapshot => ({
  executions: db.prepare(`SELECT * FROM executions ORDER BY id`).all() as Array<Record<string, unknown>>,
  summaries: db.prepare(`SELECT * FROM execution_summaries ORDER BY execution_id`).all() as Array<
    Record<string, unknown>
  >,
  toolCalls: db.prepare(`SELECT * FROM tool_calls ORDER BY position`).all() as Array<Record<string, unknown>>,
  checkpoints: db.prepare(`SELECT name, version, position FROM projection_checkpoints ORDER BY name`).all() as Array<
    Record<string, unknown>
  >,
  deadLetters: db
    .prepare(
      `SELECT projection, position, execution_id, error FROM projector_dead_letters ORDER BY projection, position`
    )
    .all() as Array<Record<string, unknown>>
})

export interface Then extends Snapshot {
  readonly db: BetterSqlite3.Database
  /** The executions row of an id (throws when missing). */
  readonly execution: (id: string) => Record<string, unknown>
  /** The summary row of an id (throws when missing). */
  readonly summary: (id: string) => Record<string, unknown>
}

const thenOf = (db: BetterSqlite3.Database): Then => {
  const s = snapshot(db)
  const find = (rows: ReadonlyArray<Record<string, unknown>>, key: string, id: string, what: string) => {
    const row = rows.find((r) => r[key] === id)
    if (row === undefined) throw new Error(`no ${what} row for ${id}`)
    return row
  }
  return {
    ...s,
    db,
    execution: (id) => find(s.executions, "id", id, "executions"),
    summary: (id) => find(s.summaries, "execution_id", id, "execution_summaries")
  }
}

export const given = (...streams: ReadonlyArray<Stream>) => ({
  /** Catches up once (in batches of `batchSize`), then checks. */
  whenProjected: (options: ProjectorOptions = {}) => ({
    then: (check: (t: Then) => void) =>
      Effect.gen(function* () {
        for (const [id, events] of streams) yield* record(id, events)
        const projector = yield* Projector
        yield* projector.catchUp
        const { connection } = yield* Database
        check(thenOf(connection))
      }).pipe(Effect.provide(memoryLayer(options)))
  })
})
