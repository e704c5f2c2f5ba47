/**
 * The write side's service: an append-only log of execution events in SQLite.
 *
 * The interface is fixed here; `SqliteEventStore.ts` implements it; the layers are below
 * (`EventStore.layer(options)` on a file, `EventStore.layerMemory` on `:memory:`).
 */
import type { ExecutionEvent, MessageReceived } from "@cratos/domain"
import { Context, type Effect, Layer, type Stream } from "effect"
import { Database, type DatabaseOptions } from "./Database.js"
import type {
  ConcurrencyError,
  CorruptEvent,
  ExecutionAlreadyExists,
  ExecutionNotFound,
  IdempotencyConflict,
  DatabaseOpenError,
  InvalidEvent,
  StorageError
} from "./errors.js"
import * as Sqlite from "./SqliteEventStore.js"

/** An event as stored: its global position (`execution_events.id`) and its stream. */
export interface StoredEvent {
  readonly position: number
  readonly executionId: string
  readonly userId: string
  readonly event: ExecutionEvent
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
    options?: { readonly idempotencyKey?: string }
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
  readonly getEvents: (
    executionId: string
  ) => Effect.Effect<ReadonlyArray<ExecutionEvent>, CorruptEvent | StorageError>
  /** An execution's events with their positions, in append order. */
  readonly readStream: (
    executionId: string
  ) => Effect.Effect<ReadonlyArray<StoredEvent>, CorruptEvent | StorageError>
  /** Number of events in a stream (0 when it does not exist). */
  readonly streamVersion: (executionId: string) => Effect.Effect<number, StorageError>
  /** All events by global position, decoded; fails at the first row that does not decode. */
  readonly readAll: (options?: ReadAllOptions) => Stream.Stream<StoredEvent, CorruptEvent | StorageError>
  /** All rows by global position; a row that does not decode is an entry, not a failure. */
  readonly readLog: (options?: ReadAllOptions) => Stream.Stream<LogEntry, StorageError>
  /** The highest global position (0 for an empty log). */
  readonly lastPosition: Effect.Effect<number, StorageError>
}

export type EventStoreLayerOptions = DatabaseOptions & Sqlite.EventStoreOptions

export class EventStore extends Context.Tag("@cratos/store/EventStore")<EventStore, EventStoreShape>() {
  /** The store on the Database service's connection. */
  static readonly make: Effect.Effect<EventStoreShape, StorageError, Database> = Sqlite.make
  static readonly makeWith: (options?: Sqlite.EventStoreOptions) => Effect.Effect<EventStoreShape, StorageError, Database> =
    Sqlite.makeWith
  /** The store on a Database provided elsewhere (shared with the projector, the CLI). */
  static readonly layerFromDatabase = (
    options: Sqlite.EventStoreOptions = {}
  ): Layer.Layer<EventStore, StorageError, Database> => Layer.effect(EventStore, Sqlite.makeWith(options))
  /** The store and its Database (both provided, so others can share the connection). */
  static readonly layer = (
    options: EventStoreLayerOptions = {}
  ): Layer.Layer<EventStore | Database, DatabaseOpenError | StorageError> =>
    EventStore.layerFromDatabase(options).pipe(Layer.provideMerge(Database.layer(options)))
  /** The store on a fresh private in-memory database. */
  static readonly layerMemory: Layer.Layer<EventStore | Database, DatabaseOpenError | StorageError> =
    EventStore.layerFromDatabase().pipe(Layer.provideMerge(Database.layerMemory))
}
