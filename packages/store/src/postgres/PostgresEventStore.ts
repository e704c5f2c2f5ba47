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
 *   driver's error (`driverError`) before it is classified or printed. The two write functions and
 *   the two many-row reads run as named statements in array mode (no drizzle mapper per call).
 * - Spans (`EventStore.<operation>`) only with `spans: true`, as on SQLite.
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
import {
  type AppendRow,
  lockLog,
  type PgDrizzle,
  preparePoolStatements,
  prepareTransactionStatements
} from "./statements.js"

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

/**
 * Up to 4 more tries, 10 ms doubling: serialization failures, deadlocks, idempotency-key races.
 * The first try runs outside the schedule (`retried`): a retry's driver is set up only for a failure.
 */
const retrySchedule = Schedule.exponential(Duration.millis(20)).pipe(Schedule.intersect(Schedule.recurs(3)))
const FIRST_RETRY = Duration.millis(10)
const retryable = (e: unknown) => isRetryable(e) || isKeyRace(e)
const retried = <R>(once: Effect.Effect<R, unknown>): Effect.Effect<R, unknown> =>
  Effect.catchIf(once, retryable, () =>
    once.pipe(Effect.retry({ schedule: retrySchedule, while: retryable }), Effect.delay(FIRST_RETRY))
  )

/** `cratos_append`'s row as the store's result or failure. */
const appendResult = (
  executionId: string,
  options: AppendOptions,
  row: AppendRow
): Effect.Effect<AppendResult, ExecutionNotFound | ConcurrencyError | IdempotencyConflict> => {
  const [outcome, version, first, last] = row
  switch (outcome) {
    case "appended":
    case "deduplicated":
      return Effect.succeed({
        executionId,
        version,
        positions: range(first, last),
        deduplicated: outcome === "deduplicated"
      })
    case "not_found":
      return new ExecutionNotFound({ executionId })
    case "conflict":
      return new ConcurrencyError({ executionId, expected: options.expectedVersion ?? -1, actual: version })
    case "key_conflict":
      return new IdempotencyConflict({ key: options.idempotencyKey ?? "", executionId })
  }
}

export const makeWith = (storeOptions: PostgresEventStoreOptions = {}) =>
  Effect.gen(function* () {
    const { pool, location } = yield* PostgresDatabase
    const Q = preparePoolStatements(drizzle({ client: pool }), pool)
    const maxEventBytes = storeOptions.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES
    /** The operation's span when spans are on (off by default, as on SQLite: a span costs about 10 µs). */
    const traced = <A, E>(operation: string, effect: Effect.Effect<A, E>): Effect.Effect<A, E> =>
      storeOptions.spans === true ? Effect.withSpan(effect, operation) : effect

    /** `f` in one transaction on one pooled connection; rolled back when it throws. */
    const transaction = <A>(operation: string, f: (tx: PgDrizzle) => Promise<A>): Effect.Effect<A, StorageError> =>
      traced(
        operation,
        retried(
          Effect.tryPromise({
            try: () => inTransaction(pool, (client) => f(drizzle({ client }))),
            catch: (e) => e
          })
        ).pipe(Effect.mapError((e) => pgStorageError(operation, location, e)))
      )

    /** One prepared statement on the pool (its own transaction), retried like `transaction`. */
    const call = <R>(operation: string, run: () => Promise<R>): Effect.Effect<R, StorageError> =>
      traced(
        operation,
        retried(Effect.tryPromise({ try: run, catch: driverError })).pipe(
          Effect.mapError((e) => pgStorageError(operation, location, e))
        )
      )

    /** A read on the pool. */
    const read = <R>(operation: string, run: () => Promise<R>): Effect.Effect<R, StorageError> =>
      Effect.tryPromise({ try: run, catch: (e) => pgStorageError(operation, location, e) })

    // ---- append: one round trip, `cratos_append` (migration 0002) ------------------------------
    // No Effect.gen on the two write paths: the checks and the encoding run synchronously, then
    // one Effect for the round trip (W1, one event per append, pays every step once per event).

    const append = (
      executionId: string,
      events: ReadonlyArray<ExecutionEvent>,
      options: AppendOptions = {}
    ): Effect.Effect<AppendResult, AppendFailure> =>
      Effect.clockWith((clock) => {
        const { expectedVersion, idempotencyKey: key } = options
        if (expectedVersion !== undefined && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
          return new InvalidEvent({
            executionId,
            index: -1,
            reason: `expectedVersion ${expectedVersion} is not a version`
          })
        }
        const encoded = encodeAll(executionId, events, maxEventBytes)
        if (encoded instanceof InvalidEvent) return encoded
        const hash = key === undefined ? "" : requestHash("append", executionId, encoded)
        const now = new Date(clock.unsafeCurrentTimeMillis()).toISOString()
        const types = new Array<string>(encoded.length)
        const data = new Array<string>(encoded.length)
        const timestamps = new Array<string>(encoded.length)
        for (let i = 0; i < encoded.length; i++) {
          const e = encoded[i]!
          types[i] = e.eventType
          data[i] = e.eventData
          timestamps[i] = e.timestamp
        }
        const values = {
          executionId,
          key: key ?? null,
          hash,
          expected: expectedVersion ?? null,
          types,
          data,
          timestamps,
          now
        }
        return Effect.flatMap(
          call("EventStore.append", () => Q.APPEND(values)),
          (rows): Effect.Effect<AppendResult, AppendFailure> =>
            rows[0] === undefined
              ? pgStorageError("EventStore.append", location, "cratos_append returned no row")
              : appendResult(executionId, options, rows[0])
        )
      })

    // ---- startExecution: one round trip, `cratos_start_execution` ------------------------------

    const startExecution = (
      executionId: string,
      event: MessageReceived,
      options: StartOptions = {}
    ): Effect.Effect<StartResult, StartFailure> =>
      Effect.clockWith((clock) => {
        const key = options.idempotencyKey
        const encoded = encodeForStore(executionId, 0, event, maxEventBytes)
        if (encoded instanceof InvalidEvent) return encoded
        const hash = key === undefined ? "" : requestHash("start", executionId, [encoded])
        const m = event.message
        const values = {
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
          now: new Date(clock.unsafeCurrentTimeMillis()).toISOString()
        }
        return Effect.flatMap(
          call("EventStore.startExecution", () => Q.START_EXECUTION(values)),
          (rows): Effect.Effect<StartResult, StartFailure> => {
            const out = rows[0]
            if (out === undefined)
              return pgStorageError("EventStore.startExecution", location, "cratos_start_execution returned no row")
            switch (out[0]) {
              case "started":
              case "deduplicated":
                return Effect.succeed({ executionId, position: out[1], version: 1 } as const)
              case "exists":
                return new ExecutionAlreadyExists({ executionId })
              case "key_conflict":
                return new IdempotencyConflict({ key: key ?? "", executionId })
            }
          }
        )
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
