/**
 * The store, the read model, retention and the projector, on the database `--db` / `CRATOS_DB`
 * names: a SQLite file (one shared connection) or a PostgreSQL server (`postgres://…`, one pool;
 * its modules are loaded only then). `storageFor` (@cratos/store) is the choice alone, so a
 * wrapper (sealing, issue 14) composes with either branch.
 */
import { Projector, ProjectorDatabase, ReadModel } from "@cratos/projector"
import {
  AbandonedExecutions,
  Database,
  databaseLocation,
  databasePath,
  encryptedEventStore,
  encryptedPostgresStore,
  leaseSettingsFromEnv,
  MEMORY,
  type PostgresDatabase,
  Retention,
  StorageLocation,
  storageFor,
  WriterLeases
} from "@cratos/store"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { CliFailure } from "./errors.js"
import { ExecutionWorkspaces } from "./ExecutionWorkspaces.js"
import { ImportCommits } from "./ImportCommits.js"

/**
 * A read needs a database that exists: reading a missing one is an error, and creates nothing
 * (only commands that write create the file and its folders). A server is asked when opened.
 */
export const requireExistingDatabase = (db: string | undefined) =>
  Effect.gen(function* () {
    const file = yield* databasePath(db).pipe(
      Effect.mapError((e) => new CliFailure({ reason: `CRATOS_DB/CRATOS_HOME: ${e.message}` }))
    )
    const location = yield* databaseLocation(file).pipe(Effect.orDie)
    if (location._tag === "Sqlite" && file !== MEMORY && !fs.existsSync(file)) {
      return yield* Effect.fail(
        new CliFailure({
          reason: `no database at ${file} (nothing has been recorded there; run, chat or import create it)`
        })
      )
    }
  })

/**
 * Every command that opens the database first closes executions whose writer died (SIGKILL,
 * power loss): see `AbandonedExecutions`. CRATOS_WRITER_STALE_MS bounds a heartbeat from another
 * host (60 s by default); CRATOS_WRITER_HEARTBEAT_MS is how often a writer beats (5 s).
 */
const abandonedSweep = Layer.effectDiscard(
  Effect.flatMap(AbandonedExecutions, (a) => a.sweep).pipe(
    Effect.catchAll((e) => Effect.logWarning(`closing abandoned executions: ${e.message}`))
  )
).pipe(Layer.provide(AbandonedExecutions.layer(leaseSettingsFromEnv())))

export interface StorageOptions {
  /** SQLite: how long a write waits for another connection's lock (read commands wait less). */
  readonly busyTimeoutMs?: number
  /**
   * Whether writes seal raw content (issue 14; on unless `--encryption off` or
   * CRATOS_ENCRYPTION=off). Reads open sealed content either way, when the master key is there.
   */
  readonly encryption?: boolean
}

const sqliteStorage = (db: string | undefined, options: StorageOptions) => {
  const { encryption = true, ...databaseOptions } = options
  return Layer.mergeAll(
    ReadModel.layer,
    Retention.layer,
    Projector.layer(),
    ExecutionWorkspaces.layer,
    ImportCommits.layer,
    abandonedSweep
  ).pipe(
    Layer.provideMerge(WriterLeases.layer(leaseSettingsFromEnv())),
    Layer.provideMerge(Layer.merge(ProjectorDatabase.sqlite, StorageLocation.fromDatabase)),
    Layer.provideMerge(encryptedEventStore({ seal: encryption })),
    Layer.provide(Database.layer({ ...(db === undefined ? {} : { path: db }), ...databaseOptions }))
  )
}

const postgresStorage = (url: string, options: StorageOptions) =>
  Layer.mergeAll(
    ReadModel.layerPostgres,
    Retention.layerPostgres,
    Projector.layerOn(),
    ExecutionWorkspaces.layerPostgres,
    ImportCommits.layerPostgres,
    abandonedSweep
  ).pipe(
    Layer.provideMerge(WriterLeases.layerPostgres(leaseSettingsFromEnv())),
    Layer.provideMerge(Layer.merge(ProjectorDatabase.postgres, StorageLocation.fromPostgres)),
    Layer.provideMerge(encryptedPostgresStore({ url, seal: options.encryption ?? true })),
    (layer) =>
      layer as Layer.Layer<
        Exclude<Layer.Layer.Success<typeof layer>, PostgresDatabase>,
        Layer.Layer.Error<typeof layer>
      >
  )

export const storageLayer = (db: string | undefined, options: StorageOptions = {}) =>
  storageFor(db, {
    sqlite: (path) => sqliteStorage(path, options),
    postgres: (url) => postgresStorage(url, options)
  })

export type Storage = Layer.Layer.Success<ReturnType<typeof storageLayer>>
