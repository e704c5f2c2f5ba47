/**
 * Given/When/Then for projections, on a private in-memory database opened by the store (so the
 * migrations apply):
 *
 *   given(["e1", [sample.message(), sample.plan()]])
 *     .whenProjected()
 *     .then(({ execution }) => expect(execution("e1").status).toBe("running"))
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { Projector, ProjectorDatabase, type ProjectorOptions, ReadModel } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"
import { Effect, Layer } from "effect"
import { postgresAvailable, postgresDatabase } from "../support/postgresCluster.js"
import { postgresStoreLayer, sqliteTestSql, TestSql } from "../store/helpers.js"

export type Stream = readonly [executionId: string, events: ReadonlyArray<ExecutionEvent>]

/** The store and a projector on one fresh in-memory database. */
export const memoryLayer = (options: ProjectorOptions = {}) =>
  Projector.layer(options).pipe(Layer.provideMerge(EventStore.layerMemory))

/** A database the projector and read-model suites run on (`describe.each(projectorBackends())`). */
export interface ProjectorBackendUnderTest {
  readonly name: string
  readonly dialect: "sqlite" | "postgres"
  /** The store, a projector, the read model and plain SQL (TestSql) on a fresh database. */
  readonly layer: (options?: ProjectorOptions) => Layer.Layer<Projector | ReadModel | EventStore | TestSql, unknown>
}

export const sqliteMemoryBackend: ProjectorBackendUnderTest = {
  name: "SQLite",
  dialect: "sqlite",
  layer: (options = {}) =>
    Layer.mergeAll(Projector.layer(options), ReadModel.layer, sqliteTestSql).pipe(
      Layer.provideMerge(EventStore.layerMemory)
    )
}

/** The store (and its pool), a projector, the read model and TestSql on a fresh PostgreSQL database. */
export const postgresLayer = (options: ProjectorOptions = {}) =>
  Layer.unwrapEffect(
    Effect.promise(async () => {
      const url = await postgresDatabase("projector")
      return Layer.mergeAll(Projector.layerOn(options), ReadModel.layerPostgres).pipe(
        Layer.provide(ProjectorDatabase.postgres),
        Layer.provideMerge(postgresStoreLayer(url))
      )
    })
  )

export const postgresBackend: ProjectorBackendUnderTest = {
  name: "PostgreSQL",
  dialect: "postgres",
  layer: postgresLayer
}

/** SQLite and, where its binaries are installed, PostgreSQL (else one loud skip line). */
export const projectorBackends = (): ReadonlyArray<ProjectorBackendUnderTest> =>
  postgresAvailable() ? [sqliteMemoryBackend, postgresBackend] : [sqliteMemoryBackend]

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

/** Every read-model table through TestSql (either dialect), as `snapshot` reads it. */
export const snapshotSql = Effect.gen(function* () {
  const sql = yield* TestSql
  return {
    executions: yield* sql.all(`SELECT * FROM executions ORDER BY id`),
    summaries: yield* sql.all(`SELECT * FROM execution_summaries ORDER BY execution_id`),
    toolCalls: yield* sql.all(`SELECT * FROM tool_calls ORDER BY position`),
    checkpoints: yield* sql.all(`SELECT name, version, position FROM projection_checkpoints ORDER BY name`),
    deadLetters: yield* sql.all(
      `SELECT projection, position, execution_id, error FROM projector_dead_letters ORDER BY projection, position`
    )
  } satisfies Snapshot
})

/** `insertRaw` through TestSql (either dialect): the new row's position. */
export const insertRawSql = (executionId: string, eventType: string, eventData: string, userId = "user-1") =>
  Effect.map(
    Effect.flatMap(TestSql, (sql) =>
      sql.all<{ id: number }>(
        `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp) VALUES (?, ?, ?, ?, ?) RETURNING id`,
        executionId,
        userId,
        eventType,
        eventData,
        "2025-11-26T10:00:00Z"
      )
    ),
    (rows) => Number(rows[0]!.id)
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
  /** The executions row of an id (throws when missing). */
  readonly execution: (id: string) => Record<string, unknown>
  /** The summary row of an id (throws when missing). */
  readonly summary: (id: string) => Record<string, unknown>
}

const thenOf = (s: Snapshot): Then => {
  const find = (rows: ReadonlyArray<Record<string, unknown>>, key: string, id: string, what: string) => {
    const row = rows.find((r) => r[key] === id)
    if (row === undefined) throw new Error(`no ${what} row for ${id}`)
    return row
  }
  return {
    ...s,
    execution: (id) => find(s.executions, "id", id, "executions"),
    summary: (id) => find(s.summaries, "execution_id", id, "execution_summaries")
  }
}

export const given = (...streams: ReadonlyArray<Stream>) => ({
  /** Catches up once (in batches of `batchSize`) on `backend` (default SQLite in memory), then checks. */
  whenProjected: (options: ProjectorOptions = {}, backend: ProjectorBackendUnderTest = sqliteMemoryBackend) => ({
    then: (check: (t: Then) => void) =>
      Effect.gen(function* () {
        for (const [id, events] of streams) yield* record(id, events)
        const projector = yield* Projector
        yield* projector.catchUp
        check(thenOf(yield* snapshotSql))
      }).pipe(Effect.provide(backend.layer(options)))
  })
})
