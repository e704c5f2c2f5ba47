/** cratos-projector: the projector worker. Parsing and the run loop are in WorkerArgs.ts and Worker.ts. */
import { ProjectorDatabase } from "@cratos/projector"
import { Database, EventStore, storageFor, WriterLeases } from "@cratos/store"
import { Layer, Logger, LogLevel } from "effect"
import { JsonLogger } from "./JsonLogger.js"
import { runWorker } from "./Worker.js"

// No top-level await: the bin runs this bundled as CommonJS (scripts/build.mjs).
void runWorker(process.argv.slice(2), (args) => ({
  store: storageFor(args.db, {
    sqlite: (db) =>
      Layer.mergeAll(ProjectorDatabase.sqlite, WriterLeases.layer()).pipe(
        Layer.provideMerge(EventStore.layerFromDatabase()),
        Layer.provide(Database.layer(db === undefined ? {} : { path: db }))
      ),
    postgres: (url) =>
      Layer.mergeAll(ProjectorDatabase.postgres, WriterLeases.layerPostgres()).pipe(
        Layer.provideMerge(EventStore.layerPostgres({ url })),
        (layer) => layer as Layer.Layer<EventStore | ProjectorDatabase | WriterLeases, Layer.Layer.Error<typeof layer>>
      )
  }),
  logging: Layer.merge(JsonLogger, Logger.minimumLogLevel(LogLevel.Info))
})).then((code) => {
  process.exitCode = code
})
