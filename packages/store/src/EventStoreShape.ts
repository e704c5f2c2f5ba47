/**
 * The shapes of the EventStore service: what it takes and returns, apart from the service tag
 * (EventStore.ts) and its implementation (SqliteEventStore.ts), which both import this file.
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import type { Effect, Stream } from "effect"
import type {
  ConcurrencyError,
  CorruptEvent,
  ExecutionAlreadyExists,
  ExecutionNotFound,
  IdempotencyConflict,
  InvalidEvent,
  StorageError
} from "./errors.js"

/**
 * An event as stored: its global position (`execution_events.id`) and its stream. `E` narrows
 * the event (a projection's handler is given only the types it handles: `StoredEvent<EventOf<T>>`).
 */
export interface StoredEvent<E extends ExecutionEvent = ExecutionEvent> {
  readonly position: number
  readonly executionId: string
  readonly userId: string
  readonly event: E
}

/** A row of the global log as read for projectors: decoded, or the reason it does not decode. */
export type LogEntry =
  | { readonly _tag: "Event"; readonly stored: StoredEvent }
  | { readonly _tag: "Corrupt"; readonly error: CorruptEvent }

export interface AppendOptions {
  /** The number of events the stream must hold before this append (0 for a new stream). */
  readonly expectedVersion?: number
  /** A repeated append with the same key returns the first result and writes nothing. */
  readonly idempotencyKey?: string
}

export interface AppendResult {
  readonly executionId: string
  /** Number of events in the stream after the append. */
  readonly version: number
  /** Global positions of the appended events, in order. */
  readonly positions: ReadonlyArray<number>
  /** True when an idempotency key matched an earlier append and nothing was written. */
  readonly deduplicated: boolean
}

export interface StartOptions {
  /** A repeated start with the same key returns the first result and writes nothing. */
  readonly idempotencyKey?: string
  /**
   * The executions row's `input_text` (default: the message's text). The sealing store gives the
   * masked text, so the row holds no raw content (issue 14).
   */
  readonly inputText?: string
}

export interface StartResult {
  readonly executionId: string
  readonly position: number
  readonly version: 1
}

export interface ReadAllOptions {
  /** Read events with a position strictly greater than this (0 = from the start). */
  readonly after?: number
  /** Stop after this many events. */
  readonly limit?: number
  /** Rows fetched per query; memory is bounded by it (default 1000). */
  readonly batchSize?: number
}

export interface EventStoreShape {
  /** Inserts the executions row (status pending) and its MessageReceived in one transaction. */
  readonly startExecution: (
    executionId: string,
    event: MessageReceived,
    options?: StartOptions
  ) => Effect.Effect<StartResult, ExecutionAlreadyExists | IdempotencyConflict | InvalidEvent | StorageError>
  /** Appends all events or none; see {@link AppendOptions}. */
  readonly append: (
    executionId: string,
    events: ReadonlyArray<ExecutionEvent>,
    options?: AppendOptions
  ) => Effect.Effect<
    AppendResult,
    ConcurrencyError | IdempotencyConflict | ExecutionNotFound | InvalidEvent | StorageError
  >
  /** The seed's `insert_event`: one event, no version check; returns the new row id. */
  readonly insertEvent: (
    executionId: string,
    userId: string,
    event: ExecutionEvent
  ) => Effect.Effect<number, ExecutionNotFound | InvalidEvent | StorageError>
  /** The seed's `get_events`, in append order (the seed orders by timestamp). */
  readonly getEvents: (executionId: string) => Effect.Effect<ReadonlyArray<ExecutionEvent>, CorruptEvent | StorageError>
  /** An execution's events with their positions, in append order. */
  readonly readStream: (executionId: string) => Effect.Effect<ReadonlyArray<StoredEvent>, CorruptEvent | StorageError>
  /** Number of events in a stream (0 when it does not exist). */
  readonly streamVersion: (executionId: string) => Effect.Effect<number, StorageError>
  /** All events by global position, decoded; fails at the first row that does not decode. */
  readonly readAll: (options?: ReadAllOptions) => Stream.Stream<StoredEvent, CorruptEvent | StorageError>
  /** All rows by global position; a row that does not decode is an entry, not a failure. */
  readonly readLog: (options?: ReadAllOptions) => Stream.Stream<LogEntry, StorageError>
  /** The highest global position (0 for an empty log). */
  readonly lastPosition: Effect.Effect<number, StorageError>
}
