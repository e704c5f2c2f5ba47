/**
 * Where the history lives, for messages: a SQLite file's path or a PostgreSQL URL without its
 * password, and which of the two. Provided beside the store by whichever backend was opened
 * (`StorageLocation.fromDatabase`, `StorageLocation.fromPostgres`), so code that only names the
 * database needs neither connection.
 */
import { Context, Effect, Layer } from "effect"
import { Database } from "./Database.js"
import type { PostgresDatabase } from "./postgres/PostgresDatabase.js"

export interface StorageLocationShape {
  readonly dialect: "sqlite" | "postgres"
  /** The file, or the URL with `***` for its password. */
  readonly location: string
}

export class StorageLocation extends Context.Tag("@cratos/store/StorageLocation")<
  StorageLocation,
  StorageLocationShape
>() {
  static readonly fromDatabase: Layer.Layer<StorageLocation, never, Database> = Layer.effect(
    StorageLocation,
    Effect.map(Database, ({ path }) => ({ dialect: "sqlite" as const, location: path }))
  )
  /** On the pool of `EventStore.layerPostgres` (its module loaded on first use). */
  static readonly fromPostgres: Layer.Layer<StorageLocation, never, PostgresDatabase> = Layer.effect(
    StorageLocation,
    Effect.flatMap(
      Effect.promise(() => import("./postgres/PostgresModules.js")),
      (m) => Effect.map(m.PostgresDatabase, ({ location }) => ({ dialect: "postgres" as const, location }))
    )
  )
}
