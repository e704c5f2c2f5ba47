/**
 * What the server reads and writes through: the store (sealing raw content, issue 14), the read
 * model, the projector and the API tokens, on a SQLite file (one connection) or a PostgreSQL
 * server (`postgres://…`, one pool; its modules loaded only then). `storageFor` (@cratos/store) is
 * the choice alone.
 */
import { Projector, ProjectorDatabase, ReadModel } from "@cratos/projector"
import { Database, encryptedPostgresStore, type PostgresDatabase, storageFor } from "@cratos/store"
import { Layer } from "effect"
import { groupedSealingStore } from "./GroupedSealingStore.js"
import { TokenStore } from "./tokens/TokenStore.js"

const sqlite = (db: string | undefined, encryption: boolean) =>
  Layer.mergeAll(ReadModel.layer, Projector.layer(), TokenStore.layer).pipe(
    Layer.provideMerge(groupedSealingStore(encryption)),
    Layer.provide(Database.layer(db === undefined ? {} : { path: db }))
  )

const postgres = (url: string, encryption: boolean) =>
  Layer.mergeAll(ReadModel.layerPostgres, Projector.layerOn(), TokenStore.layerPostgres).pipe(
    Layer.provide(ProjectorDatabase.postgres),
    Layer.provideMerge(encryptedPostgresStore({ url, seal: encryption })),
    (layer) =>
      layer as Layer.Layer<
        Exclude<Layer.Layer.Success<typeof layer>, PostgresDatabase>,
        Layer.Layer.Error<typeof layer>
      >
  )

/** `encryption`: whether ingested content is sealed (issue 14; on unless CRATOS_ENCRYPTION=off / --encryption off). */
export const serverStorage = (db: string | undefined, encryption = true) =>
  storageFor(db, {
    sqlite: (path) => sqlite(path, encryption),
    postgres: (url) => postgres(url, encryption)
  })
