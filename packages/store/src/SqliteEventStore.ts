/**
 * The EventStore on the shared SQLite connection (see Database.ts).
 *
 * Every operation is one synchronous better-sqlite3 call sequence wrapped in one Effect: writes
 * run in a `BEGIN IMMEDIATE` transaction (`db.transaction(fn).immediate()`), so the version check
 * and the inserts hold across connections and processes; statements are prepared once per
 * connection. Events are encoded before the transaction (nothing is written when one cannot
 * be), and expected failures (conflict, not found) are returned before the first write.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { Effect } from "effect"
import { Database } from "./Database.js"
import {
  ConcurrencyError,
  CorruptEvent,
  ExecutionAlreadyExists,
  ExecutionNotFound,
  IdempotencyConflict,
  InvalidEvent,
  type StorageError
} from "./errors.js"
import { logStreams } from "./LogStreams.js"
import { decodeRow, DEFAULT_MAX_EVENT_BYTES, encodeAll, encodeForStore, requestHash } from "./EventEncoding.js"
import type {
  AppendOptions,
  AppendResult,
  EventStoreShape,
  StartOptions,
  StartResult,
  StoredEvent
} from "./EventStoreShape.js"
import { prepareAppendToStream } from "./sql/appendToStream.js"
import type { EncodedEvent } from "./sql/EncodedEvent.js"
import { type IdempotencyRecord, prepareFindIdempotencyKey } from "./sql/findIdempotencyKey.js"
import { prepareInsertEvent } from "./sql/insertEvent.js"
import { prepareLastPosition } from "./sql/lastPosition.js"
import { prepareReadLogPage } from "./sql/readLogPage.js"
import { prepareReadStream } from "./sql/readStream.js"
import { prepareRecordIdempotencyKey } from "./sql/recordIdempotencyKey.js"
import { prepareStartExecution } from "./sql/startExecution.js"
import { prepareStreamVersion } from "./sql/streamVersion.js"
import { toStorageError } from "./SqliteFailure.js"

export interface EventStoreOptions {
  /** Cap on one event's `event_data` in UTF-8 bytes (default 16 MiB); over it: InvalidEvent. */
  readonly maxEventBytes?: number
  /**
   * Give every operation its `EventStore.<operation>` span (default false). A span costs about
   * 10 µs: a fifth of a WAL commit, five times the decoding of an event; streams always have one.
   */
  readonly spans?: boolean
}

type AppendFailure = ConcurrencyError | IdempotencyConflict | ExecutionNotFound | InvalidEvent | StorageError
type StartFailure = ExecutionAlreadyExists | IdempotencyConflict | InvalidEvent | StorageError

const range = (first: number, last: number): Array<number> => {
  const out: Array<number> = []
  if (first > 0) for (let p = first; p <= last; p++) out.push(p)
  return out
}

const isFailure = <A extends object>(r: A | { readonly _tag: string }): r is { readonly _tag: string } => "_tag" in r

/** Builds the store on the Database service's connection, preparing its statements. */
export const makeWith = (storeOptions: EventStoreOptions = {}) =>
  Effect.gen(function* () {
    const { connection: db, path } = yield* Database
    const maxEventBytes = storeOptions.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES

    /** `f`, or `f` in a span named `name` when spans are on. */
    const traced = <Args extends ReadonlyArray<unknown>, A, E>(
      name: string,
      f: (...args: Args) => Effect.Effect<A, E>
    ): ((...args: Args) => Effect.Effect<A, E>) =>
      storeOptions.spans === true ? (...args) => Effect.withSpan(f(...args), name) : f

    const reads = yield* Effect.try({
      try: () => ({
        readStream: prepareReadStream(db),
        readLogPage: prepareReadLogPage(db),
        streamVersion: prepareStreamVersion(db),
        lastPosition: prepareLastPosition(db)
      }),
      catch: (e) => toStorageError("EventStore.prepare", path, e)
    })
    // Write statements are prepared at the first write: a read-only connection to a seed
    // database (not migrated, no idempotency_keys) can still read.
    const prepareWrites = () => ({
      appendToStream: prepareAppendToStream(db),
      startExecution: prepareStartExecution(db),
      insertEvent: prepareInsertEvent(db),
      findKey: prepareFindIdempotencyKey(db),
      recordKey: prepareRecordIdempotencyKey(db)
    })
    let preparedWrites: ReturnType<typeof prepareWrites> | undefined
    const writes = () => (preparedWrites ??= prepareWrites())
    const sql = {
      ...reads,
      get appendToStream() {
        return writes().appendToStream
      },
      get startExecution() {
        return writes().startExecution
      },
      get insertEvent() {
        return writes().insertEvent
      },
      get findKey() {
        return writes().findKey
      },
      get recordKey() {
        return writes().recordKey
      }
    }

    // ---- append ---------------------------------------------------------------------------

    type AppendTx =
      | { readonly _tag: "Appended"; readonly version: number; readonly positions: ReadonlyArray<number> }
      | { readonly _tag: "NotFound" }
      | { readonly _tag: "Conflict"; readonly actual: number }
      | { readonly _tag: "Deduplicated"; readonly record: IdempotencyRecord }
      | { readonly _tag: "KeyConflict" }

    const appendTx = db.transaction(
      (
        executionId: string,
        encoded: ReadonlyArray<EncodedEvent>,
        expectedVersion: number | undefined,
        key: string | undefined,
        hash: string
      ): AppendTx => {
        if (key !== undefined) {
          const prior = sql.findKey(key)
          if (prior !== undefined) {
            return prior.requestHash === hash && prior.executionId === executionId
              ? { _tag: "Deduplicated", record: prior }
              : { _tag: "KeyConflict" }
          }
        }
        const out = sql.appendToStream.append(executionId, encoded, expectedVersion)
        if (out._tag === "Appended" && key !== undefined) {
          sql.recordKey(key, {
            executionId,
            requestHash: hash,
            version: out.version,
            firstPosition: out.positions[0] ?? 0,
            lastPosition: out.positions[out.positions.length - 1] ?? 0
          })
        }
        return out
      }
    )

    const appendSync = (
      executionId: string,
      events: ReadonlyArray<ExecutionEvent>,
      options: AppendOptions
    ): AppendResult | AppendFailure => {
      const { expectedVersion, idempotencyKey } = options
      if (expectedVersion !== undefined && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
        return new InvalidEvent({
          executionId,
          index: -1,
          reason: `expectedVersion ${expectedVersion} is not a version`
        })
      }
      const encoded = encodeAll(executionId, events, maxEventBytes)
      if (encoded instanceof InvalidEvent) return encoded
      const hash = idempotencyKey === undefined ? "" : requestHash("append", executionId, encoded)
      let out: AppendTx
      try {
        out = appendTx.immediate(executionId, encoded, expectedVersion, idempotencyKey, hash)
      } catch (e) {
        return toStorageError("EventStore.append", path, e)
      }
      switch (out._tag) {
        case "Appended": {
          const last = out.positions[out.positions.length - 1]
          if (last !== undefined) sql.appendToStream.remember(executionId, last, out.version)
          return { executionId, version: out.version, positions: out.positions, deduplicated: false }
        }
        case "Deduplicated":
          return {
            executionId,
            version: out.record.version,
            positions: range(out.record.firstPosition, out.record.lastPosition),
            deduplicated: true
          }
        case "NotFound":
          return new ExecutionNotFound({ executionId })
        case "Conflict":
          return new ConcurrencyError({ executionId, expected: expectedVersion ?? -1, actual: out.actual })
        case "KeyConflict":
          return new IdempotencyConflict({ key: idempotencyKey ?? "", executionId })
      }
    }

    const append = traced(
      "EventStore.append",
      (
        executionId: string,
        events: ReadonlyArray<ExecutionEvent>,
        options: AppendOptions = {}
      ): Effect.Effect<AppendResult, AppendFailure> =>
        Effect.suspend(() => {
          const r = appendSync(executionId, events, options)
          return isFailure(r) ? Effect.fail(r as AppendFailure) : Effect.succeed(r as AppendResult)
        })
    )

    // ---- startExecution --------------------------------------------------------------------

    type StartTx =
      | { readonly _tag: "Started"; readonly position: number }
      | { readonly _tag: "AlreadyExists" }
      | { readonly _tag: "Deduplicated"; readonly position: number }
      | { readonly _tag: "KeyConflict" }

    const startTx = db.transaction(
      (
        executionId: string,
        event: MessageReceived,
        encoded: EncodedEvent,
        key: string | undefined,
        hash: string,
        inputText: string
      ): StartTx => {
        if (key !== undefined) {
          const prior = sql.findKey(key)
          if (prior !== undefined) {
            return prior.requestHash === hash && prior.executionId === executionId
              ? { _tag: "Deduplicated", position: prior.firstPosition }
              : { _tag: "KeyConflict" }
          }
        }
        const out = sql.startExecution(
          {
            id: executionId,
            userId: event.message.user_id,
            channel: event.message.channel_type,
            inputText,
            createdAt: event.timestamp
          },
          encoded
        )
        if (out._tag === "Started" && key !== undefined) {
          sql.recordKey(key, {
            executionId,
            requestHash: hash,
            version: 1,
            firstPosition: out.position,
            lastPosition: out.position
          })
        }
        return out
      }
    )

    const startSync = (
      executionId: string,
      event: MessageReceived,
      key: string | undefined,
      inputText: string
    ): StartResult | StartFailure => {
      if ((event as ExecutionEvent).type !== "MessageReceived") {
        return new InvalidEvent({
          executionId,
          index: 0,
          reason: `an execution starts with MessageReceived, not ${event.type}`
        })
      }
      const encoded = encodeForStore(executionId, 0, event, maxEventBytes)
      if (encoded instanceof InvalidEvent) return encoded
      const hash = key === undefined ? "" : requestHash("start", executionId, [encoded])
      let out: StartTx
      try {
        out = startTx.immediate(executionId, event, encoded, key, hash, inputText)
      } catch (e) {
        return toStorageError("EventStore.startExecution", path, e)
      }
      switch (out._tag) {
        case "Started":
          sql.appendToStream.remember(executionId, out.position, 1)
          return { executionId, position: out.position, version: 1 }
        case "Deduplicated":
          return { executionId, position: out.position, version: 1 }
        case "AlreadyExists":
          return new ExecutionAlreadyExists({ executionId })
        case "KeyConflict":
          return new IdempotencyConflict({ key: key ?? "", executionId })
      }
    }

    const startExecution = traced(
      "EventStore.startExecution",
      (
        executionId: string,
        event: MessageReceived,
        options: StartOptions = {}
      ): Effect.Effect<StartResult, StartFailure> =>
        Effect.suspend(() => {
          const r = startSync(executionId, event, options.idempotencyKey, options.inputText ?? event.message.text)
          return isFailure(r) ? Effect.fail(r as StartFailure) : Effect.succeed(r as StartResult)
        })
    )

    // ---- insertEvent (seed semantics) --------------------------------------------------------

    const insertTx = db.transaction((executionId: string, userId: string, event: EncodedEvent) =>
      sql.insertEvent(executionId, userId, event)
    )

    const insertEvent = traced(
      "EventStore.insertEvent",
      (
        executionId: string,
        userId: string,
        event: ExecutionEvent
      ): Effect.Effect<number, ExecutionNotFound | InvalidEvent | StorageError> =>
        Effect.suspend((): Effect.Effect<number, ExecutionNotFound | InvalidEvent | StorageError> => {
          const encoded = encodeForStore(executionId, 0, event, maxEventBytes)
          if (encoded instanceof InvalidEvent) return Effect.fail(encoded)
          let id: number | undefined
          try {
            id = insertTx.immediate(executionId, userId, encoded)
          } catch (e) {
            return Effect.fail(toStorageError("EventStore.insertEvent", path, e))
          }
          return id === undefined ? Effect.fail(new ExecutionNotFound({ executionId })) : Effect.succeed(id)
        })
    )

    // ---- reads -------------------------------------------------------------------------------

    const readStreamSync = (executionId: string): Array<StoredEvent> | CorruptEvent | StorageError => {
      let rows
      try {
        rows = sql.readStream(executionId)
      } catch (e) {
        return toStorageError("EventStore.readStream", path, e)
      }
      const out = new Array<StoredEvent>(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const [position, userId, data] = rows[i]!
        const d = decodeRow(position, executionId, userId, data)
        if (d instanceof CorruptEvent) return d
        out[i] = d
      }
      return out
    }

    const readStream = traced(
      "EventStore.readStream",
      (executionId: string): Effect.Effect<ReadonlyArray<StoredEvent>, CorruptEvent | StorageError> =>
        Effect.suspend(() => {
          const r = readStreamSync(executionId)
          return Array.isArray(r) ? Effect.succeed(r as ReadonlyArray<StoredEvent>) : Effect.fail(r)
        })
    )

    const getEvents = traced(
      "EventStore.getEvents",
      (executionId: string): Effect.Effect<ReadonlyArray<ExecutionEvent>, CorruptEvent | StorageError> =>
        Effect.suspend(() => {
          const r = readStreamSync(executionId)
          if (!Array.isArray(r)) return Effect.fail(r)
          const events = new Array<ExecutionEvent>(r.length)
          for (let i = 0; i < r.length; i++) events[i] = r[i]!.event
          return Effect.succeed(events as ReadonlyArray<ExecutionEvent>)
        })
    )

    const streamVersion = traced(
      "EventStore.streamVersion",
      (executionId: string): Effect.Effect<number, StorageError> =>
        Effect.try({
          try: () => sql.streamVersion(executionId),
          catch: (e) => toStorageError("EventStore.streamVersion", path, e)
        })
    )

    const lastPosition = traced("EventStore.lastPosition", () =>
      Effect.try({
        try: () => sql.lastPosition(),
        catch: (e) => toStorageError("EventStore.lastPosition", path, e)
      })
    )()

    const { readAll, readLog } = logStreams((operation, after, limit) =>
      Effect.try({
        try: () => sql.readLogPage(after, limit),
        catch: (e) => toStorageError(operation, path, e)
      })
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

/** The store with default options; needs the Database service. */
export const make = makeWith()
