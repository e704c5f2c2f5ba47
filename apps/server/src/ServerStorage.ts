/** What the server reads and writes through: the store, the read model and the projector on one connection. */
import { Projector, ReadModel } from "@cratos/projector"
import { Database, encryptedEventStore } from "@cratos/store"
import { Layer } from "effect"

/** `encryption`: whether ingested content is sealed (issue 14; on unless CRATOS_ENCRYPTION=off / --encryption off). */
export const serverStorage = (db: string | undefined, encryption = true) =>
  Layer.mergeAll(ReadModel.layer, Projector.layer()).pipe(
    Layer.provideMerge(encryptedEventStore({ seal: encryption })),
    Layer.provideMerge(Database.layer(db === undefined ? {} : { path: db }))
  )
