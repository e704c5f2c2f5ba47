/**
 * What the server reads and writes through: the store, the read model, the projector and the API
 * tokens, on a SQLite file (one connection) or a PostgreSQL server (`postgres://…`, one pool; its
 * modules loaded only then). `storageFor` (@cratos/store) is the choice alone.
 */
import { Projector, ProjectorDatabase, ReadModel } from "@cratos/projector"
import { Database, EventStore, type PostgresDatabase, storageFor } from "@cratos/store"
import { Layer } from "effect"
import { TokenStore } from "./tokens/TokenStore.js"

const sqlite = (db: string | undefined) =>
  Layer.mergeAll(ReadModel.layer, Projector.layer(), TokenStore.layer).pipe(
    Layer.provideMerge(EventStore.layerFromDatabase()),
    Layer.provide(Database.layer(db === undefined ? {} : { path: db }))
  )

const postgres = (url: string) =>
  Layer.mergeAll(ReadModel.layerPostgres, Projector.layerOn(), TokenStore.layerPostgres).pipe(
    Layer.provide(ProjectorDatabase.postgres),
    Layer.provideMerge(EventStore.layerPostgres({ url })),
    (layer) =>
      layer as Layer.Layer<
        Exclude<Layer.Layer.Success<typeof layer>, PostgresDatabase>,
        Layer.Layer.Error<typeof layer>
      >
  )

export const serverStorage = (db: string | undefined) => storageFor(db, { sqlite, postgres })
