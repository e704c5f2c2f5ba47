/**
 * The EventStore on PostgreSQL and its pool, as one layer. EventStore.ts imports this module
 * dynamically (`EventStore.layerPostgres`), so `pg` and drizzle's pg modules load only when a
 * `postgres://` URL selects them.
 */
import { Layer } from "effect"
import type { DatabaseOpenError, StorageError } from "../errors.js"
import { EventStore } from "../EventStore.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import { makeWith } from "./PostgresEventStore.js"
import type { PostgresStoreOptions } from "./PostgresOptions.js"

export const layer = (
  options: PostgresStoreOptions
): Layer.Layer<EventStore | PostgresDatabase, DatabaseOpenError | StorageError> =>
  Layer.effect(EventStore, makeWith(options)).pipe(Layer.provideMerge(PostgresDatabase.layer(options)))
