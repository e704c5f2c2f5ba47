/**
 * The write side's service: an append-only log of execution events in SQLite.
 *
 * The interface is in `EventStoreShape.ts`; `SqliteEventStore.ts` implements it; the layers are below
 * (`EventStore.layer(options)` on a file, `EventStore.layerMemory` on `:memory:`).
 */
import { Context, Effect, Layer } from "effect"
import { Database, type DatabaseOptions } from "./Database.js"
import type { DatabaseOpenError, StorageError } from "./errors.js"
import type { EventStoreShape } from "./EventStoreShape.js"
import type { PostgresDatabase } from "./postgres/PostgresDatabase.js"
import type { PostgresStoreOptions } from "./postgres/PostgresOptions.js"
import * as Sqlite from "./SqliteEventStore.js"

export type {
  AppendOptions,
  AppendResult,
  EventStoreShape,
  LogEntry,
  ReadAllOptions,
  StartOptions,
  StartResult,
  StoredEvent
} from "./EventStoreShape.js"

export type EventStoreLayerOptions = DatabaseOptions & Sqlite.EventStoreOptions

export class EventStore extends Context.Tag("@cratos/store/EventStore")<EventStore, EventStoreShape>() {
  /** The store on the Database service's connection. */
  static readonly make: Effect.Effect<EventStoreShape, StorageError, Database> = Sqlite.make
  static readonly makeWith: (
    options?: Sqlite.EventStoreOptions
  ) => Effect.Effect<EventStoreShape, StorageError, Database> = Sqlite.makeWith
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
  /**
   * The store on PostgreSQL and its pool (`url`: `postgres://…`). `pg` is loaded here, on first
   * use, never on the SQLite path.
   */
  static readonly layerPostgres = (
    options: PostgresStoreOptions
  ): Layer.Layer<EventStore | PostgresDatabase, DatabaseOpenError | StorageError> =>
    Layer.unwrapEffect(
      Effect.map(
        Effect.promise(() => import("./postgres/PostgresModules.js")),
        (m) =>
          Layer.effect(EventStore, m.makeEventStore(options)).pipe(
            Layer.provideMerge(m.PostgresDatabase.layer(options))
          )
      )
    )
}
