/**
 * `encryptedEventStore` on PostgreSQL: the sealing store, its `ContentReader` and `ContentKeys`
 * over the pool. `pg` and the PostgreSQL modules are loaded on first use only, so a SQLite command
 * never loads them.
 */
import { Effect, Layer } from "effect"
import type { EventStore } from "../EventStore.js"
import type { DatabaseOpenError, StorageError } from "../errors.js"
import type { PostgresDatabase } from "../postgres/PostgresDatabase.js"
import type { ContentKeys } from "./ContentKeys.js"
import type { PostgresSealingOptions } from "./PostgresSealingStore.js"
import type { ContentReader } from "./SealingEventStore.js"

export const encryptedPostgresStore = (
  options: PostgresSealingOptions
): Layer.Layer<EventStore | ContentReader | ContentKeys | PostgresDatabase, DatabaseOpenError | StorageError> =>
  Layer.unwrapEffect(
    Effect.map(
      Effect.promise(() => import("./PostgresSealingStore.js")),
      (m) => m.postgresSealingLayer(options)
    )
  )
