/** The store, the read model, retention and the projector on one connection to the chosen file. */
import { Projector, ReadModel } from "@cratos/projector"
import { Database, databasePath, EventStore, MEMORY, Retention } from "@cratos/store"
import { Effect, Layer } from "effect"
import * as fs from "node:fs"
import { CliFailure } from "./errors.js"
import { ExecutionWorkspaces } from "./ExecutionWorkspaces.js"

/**
 * A read needs a database that exists: reading a missing one is an error, and creates nothing
 * (only commands that write create the file and its folders).
 */
export const requireExistingDatabase = (db: string | undefined) =>
  Effect.gen(function* () {
    const file = yield* databasePath(db).pipe(
      Effect.mapError((e) => new CliFailure({ reason: `CRATOS_DB/CRATOS_HOME: ${e.message}` }))
    )
    if (file !== MEMORY && !fs.existsSync(file)) {
      return yield* Effect.fail(
        new CliFailure({ reason: `no database at ${file} (nothing has been recorded there; run, chat or import create it)` })
      )
    }
  })

export const storageLayer = (db: string | undefined, options: { readonly busyTimeoutMs?: number } = {}) => {
  const database = Database.layer({ ...(db === undefined ? {} : { path: db }), ...options })
  return Layer.mergeAll(ReadModel.layer, Retention.layer, Projector.layer(), ExecutionWorkspaces.layer).pipe(
    Layer.provideMerge(EventStore.layerFromDatabase()),
    Layer.provideMerge(database)
  )
}

export type Storage = Layer.Layer.Success<ReturnType<typeof storageLayer>>
