/**
 * The EventStore on PostgreSQL: the same service, the same semantics as SqliteEventStore.ts.
 *
 * - Every write is one transaction on a pooled connection (READ COMMITTED). An append first locks
 *   its execution's row (`FOR UPDATE`): appends to one stream queue there, in every process on
 *   every machine, so the version read and the inserts see one state and `expectedVersion` holds.
 * - Idempotency keys are rows written in the append's transaction (durable); a key raced by two
 *   transactions at once makes the loser's insert fail (unique violation) and the loser is run
 *   again, finding the winner's row.
 * - Event inserts take the log's advisory lock (statements.ts): ids become visible in id order.
 * - Serialization failures and deadlocks are retried (up to 5 tries, 10 ms doubling); any other
 *   failure is a StorageError with `PG_<SQLSTATE>` and nothing of the operation is written.
 * - A row whose `event_data` does not decode is a CorruptEvent (readAll, readStream) or a
 *   `Corrupt` entry (readLog), as on SQLite.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { Duration, Effect, Schedule } from "effect"
import type pg from "pg"
import {
  ConcurrencyError,
  CorruptEvent,
  ExecutionAlreadyExists,
  ExecutionNotFound,
  IdempotencyConflict,
  InvalidEvent,
  type StorageError
} from "../errors.js"
import { DEFAULT_MAX_EVENT_BYTES, encodeAll, encodeForStore, requestHash } from "../EventEncoding.js"
import { decodeRows, type LogRow, logStreams } from "../LogStreams.js"
import type {
  AppendOptions,
  AppendResult,
  EventStoreShape,
  StartOptions,
  StartResult,
  StoredEvent
} from "../EventStoreShape.js"
import type { EncodedEvent } from "../sql/EncodedEvent.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import type { PostgresEventStoreOptions } from "./PostgresOptions.js"
import { isRetryable, pgStorageError, sqlState } from "./PostgresFailure.js"
import * as Q from "./statements.js"

type AppendFailure = ConcurrencyError | IdempotencyConflict | ExecutionNotFound | InvalidEvent | StorageError
type StartFailure = ExecutionAlreadyExists | IdempotencyConflict | InvalidEvent | StorageError

const range = (first: number, last: number): Array<number> => {
  const out: Array<number> = []
  if (first > 0) for (let p = first; p <= last; p++) out.push(p)
  return out
}

/** A unique violation on idempotency_keys: another transaction recorded the same key first. */
const isKeyRace = (e: unknown): boolean =>
  sqlState(e) === "23505" && (e as { readonly table?: unknown }).table === "idempotency_keys"

/** Up to 4 more tries, 10 ms doubling: serialization failures, deadlocks, idempotency-key races. */
const retrySchedule = Schedule.exponential(Duration.millis(10)).pipe(Schedule.intersect(Schedule.recurs(4)))

export const makeWith = (storeOptions: PostgresEventStoreOptions = {}) =>
  Effect.gen(function* () {
    const { pool, location } = yield* PostgresDatabase
    const maxEventBytes = storeOptions.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES
    const nowIso = Effect.map(
      Effect.clockWith((c) => c.currentTimeMillis),
      (ms) => new Date(ms).toISOString()
    )

    /** `f` in one transaction on one pooled connection; rolled back when it throws. */
    const transaction = <A>(
      operation: string,
      f: (client: pg.PoolClient) => Promise<A>
    ): Effect.Effect<A, StorageError> =>
      Effect.tryPromise({
        try: async () => {
          const client = await pool.connect()
          let broken = false
          try {
            await client.query("BEGIN")
            try {
              const out = await f(client)
              await client.query("COMMIT")
              return out
            } catch (e) {
              await client.query("ROLLBACK").catch(() => {
                broken = true
              })
              throw e
            }
          } finally {
            client.release(broken)
          }
        },
        catch: (e) => e
      }).pipe(
        Effect.retry({ schedule: retrySchedule, while: (e) => isRetryable(e) || isKeyRace(e) }),
        Effect.mapError((e) => pgStorageError(operation, location, e)),
        Effect.withSpan(operation)
      )

    const query = <R>(operation: string, config: pg.QueryConfig): Effect.Effect<Array<R>, StorageError> =>
      Effect.tryPromise({
        try: async () => (await pool.query(config)).rows as Array<R>,
        catch: (e) => pgStorageError(operation, location, e)
      })

    const queryArrays = (
      operation: string,
      config: pg.QueryConfig
    ): Effect.Effect<ReadonlyArray<LogRow>, StorageError> =>
      Effect.tryPromise({
        try: async () => (await pool.query<[number, string, string, string]>({ ...config, rowMode: "array" })).rows,
        catch: (e) => pgStorageError(operation, location, e)
      })

    /** Inserts events (the log lock first); their ids, ascending. */
    const insertEvents = async (
      client: pg.PoolClient,
      executionId: string,
      userId: string,
      encoded: ReadonlyArray<EncodedEvent>
    ): Promise<Array<number>> => {
      await client.query(Q.LOCK_LOG([]))
      const r = await client.query<{ id: number }>(
        Q.INSERT_EVENTS([
          executionId,
          userId,
          encoded.map((e) => e.eventType),
          encoded.map((e) => e.eventData),
          encoded.map((e) => e.timestamp)
        ])
      )
      return r.rows.map((row) => row.id).sort((a, b) => a - b)
    }

    /** One statement (its own transaction), retried like `transaction`. */
    const call = <R>(operation: string, config: pg.QueryConfig): Effect.Effect<R, StorageError> =>
      Effect.tryPromise({
        try: async () => (await pool.query(config)).rows[0] as R,
        catch: (e) => e
      }).pipe(
        Effect.retry({ schedule: retrySchedule, while: (e) => isRetryable(e) || isKeyRace(e) }),
        Effect.mapError((e) => pgStorageError(operation, location, e)),
        Effect.withSpan(operation)
      )

    // ---- append: one round trip, `cratos_append` (migration 0002) ------------------------------

    interface AppendRow {
      readonly outcome: "appended" | "deduplicated" | "not_found" | "conflict" | "key_conflict"
      readonly version: number
      readonly first_position: number
      readonly last_position: number
    }

    const append = (
      executionId: string,
      events: ReadonlyArray<ExecutionEvent>,
      options: AppendOptions = {}
    ): Effect.Effect<AppendResult, AppendFailure> =>
      Effect.gen(function* () {
        const { expectedVersion, idempotencyKey: key } = options
        if (expectedVersion !== undefined && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
          return yield* new InvalidEvent({
            executionId,
            index: -1,
            reason: `expectedVersion ${expectedVersion} is not a version`
          })
        }
        const encoded = encodeAll(executionId, events, maxEventBytes)
        if (encoded instanceof InvalidEvent) return yield* encoded
        const hash = key === undefined ? "" : requestHash("append", executionId, encoded)
        const now = yield* nowIso
        const out = yield* call<AppendRow>(
          "EventStore.append",
          Q.APPEND([
            executionId,
            key ?? null,
            hash,
            expectedVersion ?? null,
            encoded.map((e) => e.eventType),
            encoded.map((e) => e.eventData),
            encoded.map((e) => e.timestamp),
            now
          ])
        )
        switch (out.outcome) {
          case "appended":
          case "deduplicated":
            return {
              executionId,
              version: out.version,
              positions: range(out.first_position, out.last_position),
              deduplicated: out.outcome === "deduplicated"
            }
          case "not_found":
            return yield* new ExecutionNotFound({ executionId })
          case "conflict":
            return yield* new ConcurrencyError({ executionId, expected: expectedVersion ?? -1, actual: out.version })
          case "key_conflict":
            return yield* new IdempotencyConflict({ key: key ?? "", executionId })
        }
      })

    // ---- startExecution: one round trip, `cratos_start_execution` ------------------------------

    const startExecution = (
      executionId: string,
      event: MessageReceived,
      options: StartOptions = {}
    ): Effect.Effect<StartResult, StartFailure> =>
      Effect.gen(function* () {
        const key = options.idempotencyKey
        const encoded = encodeForStore(executionId, 0, event, maxEventBytes)
        if (encoded instanceof InvalidEvent) return yield* encoded
        const hash = key === undefined ? "" : requestHash("start", executionId, [encoded])
        const now = yield* nowIso
        const m = event.message
        const out = yield* call<{
          readonly outcome: "started" | "deduplicated" | "exists" | "key_conflict"
          readonly first_position: number
        }>(
          "EventStore.startExecution",
          Q.START_EXECUTION([
            executionId,
            m.user_id,
            m.channel_type,
            options.inputText ?? m.text,
            event.timestamp,
            key ?? null,
            hash,
            encoded.eventType,
            encoded.eventData,
            encoded.timestamp,
            now
          ])
        )
        switch (out.outcome) {
          case "started":
          case "deduplicated":
            return { executionId, position: out.first_position, version: 1 } as const
          case "exists":
            return yield* new ExecutionAlreadyExists({ executionId })
          case "key_conflict":
            return yield* new IdempotencyConflict({ key: key ?? "", executionId })
        }
      })

    // ---- insertEvent (the seed's insert_event) ----------------------------------------------

    const insertEvent = (
      executionId: string,
      userId: string,
      event: ExecutionEvent
    ): Effect.Effect<number, ExecutionNotFound | InvalidEvent | StorageError> =>
      Effect.gen(function* () {
        const encoded = encodeForStore(executionId, 0, event, maxEventBytes)
        if (encoded instanceof InvalidEvent) return yield* encoded
        const position = yield* transaction("EventStore.insertEvent", async (client) => {
          const head = await client.query(Q.LOCK_EXECUTION([executionId]))
          if (head.rowCount === 0) return undefined
          return (await insertEvents(client, executionId, userId, [encoded]))[0]
        })
        return position === undefined ? yield* new ExecutionNotFound({ executionId }) : position
      })

    // ---- reads ----------------------------------------------------------------------------

    const readStream = (executionId: string): Effect.Effect<ReadonlyArray<StoredEvent>, CorruptEvent | StorageError> =>
      Effect.flatMap(queryArrays("EventStore.readStream", Q.READ_STREAM([executionId])), (rows) => {
        const out = decodeRows(rows)
        return out instanceof CorruptEvent ? Effect.fail(out) : Effect.succeed(out)
      })

    const getEvents = (executionId: string) =>
      Effect.map(readStream(executionId), (stored) => stored.map((s) => s.event))

    const streamVersion = (executionId: string) =>
      Effect.map(query<{ n: number }>("EventStore.streamVersion", Q.STREAM_VERSION([executionId])), (r) => r[0]?.n ?? 0)

    const lastPosition = Effect.map(
      query<{ n: number }>("EventStore.lastPosition", Q.LAST_POSITION([])),
      (r) => r[0]?.n ?? 0
    )

    const { readAll, readLog } = logStreams((operation, after, limit) =>
      queryArrays(operation, Q.READ_LOG_PAGE([after, limit]))
    )

    const store: EventStoreShape = {
      startExecution,
      append,
      insertEvent,
      getEvents,
      readStream,
      streamVersion,
      readAll,
      readLog,
      lastPosition
    }
    return store
  })
