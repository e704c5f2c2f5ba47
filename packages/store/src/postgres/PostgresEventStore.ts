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
 * - Every statement is Drizzle's builder (statements.ts), prepared once on the pool; the
 *   transactions' few on drizzle over their client. What drizzle throws is unwrapped to the
 *   driver's error (`driverError`) before it is classified or printed.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { drizzle } from "drizzle-orm/node-postgres"
import { Duration, Effect, Schedule } from "effect"
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
import { decodeRows, logStreams } from "../LogStreams.js"
import type {
  AppendOptions,
  AppendResult,
  EventStoreShape,
  StartOptions,
  StartResult,
  StoredEvent
} from "../EventStoreShape.js"
import { inTransaction } from "./inTransaction.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import type { PostgresEventStoreOptions } from "./PostgresOptions.js"
import { driverError, isRetryable, pgStorageError, sqlState } from "./PostgresFailure.js"
import { lockLog, type PgDrizzle, preparePoolStatements, prepareTransactionStatements } from "./statements.js"

type AppendFailure = ConcurrencyError | IdempotencyConflict | ExecutionNotFound | InvalidEvent | StorageError
type StartFailure = ExecutionAlreadyExists | IdempotencyConflict | InvalidEvent | StorageError

const range = (first: number, last: number): Array<number> => {
  const out: Array<number> = []
  if (first > 0) for (let p = first; p <= last; p++) out.push(p)
  return out
}

/** A unique violation on idempotency_keys: another transaction recorded the same key first. */
const isKeyRace = (thrown: unknown): boolean => {
  const e = driverError(thrown)
  return sqlState(e) === "23505" && (e as { readonly table?: unknown }).table === "idempotency_keys"
}

/** Up to 4 more tries, 10 ms doubling: serialization failures, deadlocks, idempotency-key races. */
const retrySchedule = Schedule.exponential(Duration.millis(10)).pipe(Schedule.intersect(Schedule.recurs(4)))

export const makeWith = (storeOptions: PostgresEventStoreOptions = {}) =>
  Effect.gen(function* () {
    const { pool, location } = yield* PostgresDatabase
    const Q = preparePoolStatements(drizzle({ client: pool }), pool)
    const maxEventBytes = storeOptions.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES
    const nowIso = Effect.map(
      Effect.clockWith((c) => c.currentTimeMillis),
      (ms) => new Date(ms).toISOString()
    )

    /** `f` in one transaction on one pooled connection; rolled back when it throws. */
    const transaction = <A>(operation: string, f: (tx: PgDrizzle) => Promise<A>): Effect.Effect<A, StorageError> =>
      Effect.tryPromise({
        try: () => inTransaction(pool, (client) => f(drizzle({ client }))),
        catch: (e) => e
      }).pipe(
        Effect.retry({ schedule: retrySchedule, while: (e) => isRetryable(e) || isKeyRace(e) }),
        Effect.mapError((e) => pgStorageError(operation, location, e)),
        Effect.withSpan(operation)
      )

    /** One prepared statement on the pool (its own transaction), retried like `transaction`. */
    const call = <R>(operation: string, run: () => Promise<R>): Effect.Effect<R, StorageError> =>
      Effect.tryPromise({ try: run, catch: driverError }).pipe(
        Effect.retry({ schedule: retrySchedule, while: (e) => isRetryable(e) || isKeyRace(e) }),
        Effect.mapError((e) => pgStorageError(operation, location, e)),
        Effect.withSpan(operation)
      )

    /** A read on the pool. */
    const read = <R>(operation: string, run: () => Promise<R>): Effect.Effect<R, StorageError> =>
      Effect.tryPromise({ try: run, catch: (e) => pgStorageError(operation, location, e) })

    // ---- append: one round trip, `cratos_append` (migration 0002) ------------------------------

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
        const types = new Array<string>(encoded.length)
        const data = new Array<string>(encoded.length)
        const timestamps = new Array<string>(encoded.length)
        for (let i = 0; i < encoded.length; i++) {
          const e = encoded[i]!
          types[i] = e.eventType
          data[i] = e.eventData
          timestamps[i] = e.timestamp
        }
        const rows = yield* call("EventStore.append", () =>
          Q.APPEND.execute({
            executionId,
            key: key ?? null,
            hash,
            expected: expectedVersion ?? null,
            types,
            data,
            timestamps,
            now
          })
        )
        const out = rows[0]
        if (out === undefined)
          return yield* pgStorageError("EventStore.append", location, "cratos_append returned no row")
        switch (out.outcome) {
          case "appended":
          case "deduplicated":
            return {
              executionId,
              version: out.version,
              positions: range(out.firstPosition, out.lastPosition),
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
        const rows = yield* call("EventStore.startExecution", () =>
          Q.START_EXECUTION.execute({
            executionId,
            userId: m.user_id,
            channel: m.channel_type,
            inputText: options.inputText ?? m.text,
            createdAt: event.timestamp,
            key: key ?? null,
            hash,
            eventType: encoded.eventType,
            eventData: encoded.eventData,
            timestamp: encoded.timestamp,
            now
          })
        )
        const out = rows[0]
        if (out === undefined)
          return yield* pgStorageError("EventStore.startExecution", location, "cratos_start_execution returned no row")
        switch (out.outcome) {
          case "started":
          case "deduplicated":
            return { executionId, position: out.firstPosition, version: 1 } as const
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
        const position = yield* transaction("EventStore.insertEvent", async (tx) => {
          const T = prepareTransactionStatements(tx)
          const head = await T.LOCK_EXECUTION.execute({ executionId })
          if (head.length === 0) return undefined
          await lockLog(tx)
          const inserted = await T.INSERT_EVENT.execute({
            executionId,
            userId,
            eventType: encoded.eventType,
            eventData: encoded.eventData,
            timestamp: encoded.timestamp
          })
          return inserted[0]?.id
        })
        return position === undefined ? yield* new ExecutionNotFound({ executionId }) : position
      })

    // ---- reads ----------------------------------------------------------------------------

    const readStream = (executionId: string): Effect.Effect<ReadonlyArray<StoredEvent>, CorruptEvent | StorageError> =>
      Effect.flatMap(
        read("EventStore.readStream", () => Q.READ_STREAM({ executionId })),
        (rows) => {
          const out = decodeRows(rows)
          return out instanceof CorruptEvent ? Effect.fail(out) : Effect.succeed(out)
        }
      )

    const getEvents = (executionId: string) =>
      Effect.map(readStream(executionId), (stored) => stored.map((s) => s.event))

    const streamVersion = (executionId: string) =>
      Effect.map(
        read("EventStore.streamVersion", () => Q.STREAM_VERSION.execute({ executionId })),
        (r) => r[0]?.n ?? 0
      )

    const lastPosition = Effect.map(
      read("EventStore.lastPosition", () => Q.LAST_POSITION.execute()),
      (r) => r[0]?.last ?? 0
    )

    const { readAll, readLog } = logStreams((operation, after, limit) =>
      read(operation, () => Q.READ_LOG_PAGE({ after, limit }))
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
