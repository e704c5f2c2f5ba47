/**
 * Encryption at rest on PostgreSQL (issues 13 and 14): the PostgreSQL store wrapped by the same
 * sealing store as on SQLite (`sealingEventStore`), its data keys in PostgreSQL's `content_keys`
 * (`makePostgresContentKeys`). Provides what `encryptedEventStore` provides on SQLite (the
 * `EventStore`, the `ContentReader`, the `ContentKeys`) plus the pool. Loaded only with `pg`.
 */
import { Context, Effect, Layer } from "effect"
import { EventStore } from "../EventStore.js"
import type { DatabaseOpenError, StorageError } from "../errors.js"
import { PostgresDatabase } from "../postgres/PostgresDatabase.js"
import { makeWith as makePostgresEventStore } from "../postgres/PostgresEventStore.js"
import { pgStorageError } from "../postgres/PostgresFailure.js"
import type { PostgresStoreOptions } from "../postgres/PostgresOptions.js"
import { ContentKeys } from "./ContentKeys.js"
import { type Env, resolveMasterKey } from "./MasterKey.js"
import { makePostgresContentKeys } from "./PostgresContentKeys.js"
import { ContentReader, type SealingOptions, sealingEventStore, type UserOf } from "./SealingEventStore.js"

export interface PostgresSealingOptions extends PostgresStoreOptions, SealingOptions {
  readonly env?: Env
}

export const postgresSealingLayer = (
  options: PostgresSealingOptions
): Layer.Layer<EventStore | ContentReader | ContentKeys | PostgresDatabase, DatabaseOpenError | StorageError> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const inner = yield* makePostgresEventStore(options)
      const keys = yield* makePostgresContentKeys(() =>
        resolveMasterKey({ create: options.seal ?? true, ...(options.env === undefined ? {} : { env: options.env }) })
      )
      const { pool, location } = yield* PostgresDatabase
      const userOf: UserOf = (executionId) =>
        Effect.tryPromise({
          try: async () =>
            (await pool.query<{ user_id: string }>("SELECT user_id FROM executions WHERE id = $1", [executionId]))
              .rows[0]?.user_id,
          catch: (e) => pgStorageError("EventStore.append", location, e)
        })
      const sealing = sealingEventStore(inner, keys, userOf, options)
      return Context.make(EventStore, sealing as EventStore["Type"]).pipe(
        Context.add(ContentReader, sealing.reader),
        Context.add(ContentKeys, keys)
      )
    })
  ).pipe(Layer.provideMerge(PostgresDatabase.layer(options)))
