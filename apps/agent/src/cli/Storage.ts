/** The store, the read model, retention and the projector on one connection to the chosen file. */
import { Projector, ReadModel } from "@cratos/projector"
import { Database, EventStore, Retention } from "@cratos/store"
import { Layer } from "effect"

export const storageLayer = (db: string | undefined, options: { readonly busyTimeoutMs?: number } = {}) => {
  const database = Database.layer({ ...(db === undefined ? {} : { path: db }), ...options })
  return Layer.mergeAll(ReadModel.layer, Retention.layer, Projector.layer()).pipe(
    Layer.provideMerge(EventStore.layerFromDatabase()),
    Layer.provideMerge(database)
  )
}

export type Storage = Layer.Layer.Success<ReturnType<typeof storageLayer>>
