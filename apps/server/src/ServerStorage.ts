/** What the server reads and writes through: the store, the read model and the projector on one connection. */
import { Projector, ReadModel } from "@cratos/projector"
import { Database, EventStore } from "@cratos/store"
import { Layer } from "effect"

export const serverStorage = (db: string | undefined) =>
  Layer.mergeAll(ReadModel.layer, Projector.layer()).pipe(
    Layer.provideMerge(EventStore.layerFromDatabase()),
    Layer.provideMerge(Database.layer(db === undefined ? {} : { path: db }))
  )
