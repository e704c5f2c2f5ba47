/** cratos-projector: the projector worker. Parsing and the run loop are in WorkerArgs.ts and Worker.ts. */
import { ProjectorDatabase } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { Layer, Logger, LogLevel } from "effect"
import { JsonLogger } from "./JsonLogger.js"
import { runWorker } from "./Worker.js"

// No top-level await: the bin runs this bundled as CommonJS (scripts/build.mjs).
void runWorker(process.argv.slice(2), (args) => ({
  store: ProjectorDatabase.sqlite.pipe(
    Layer.provideMerge(EventStore.layer(args.db === undefined ? {} : { path: args.db }))
  ),
  logging: Layer.merge(JsonLogger, Logger.minimumLogLevel(LogLevel.Info))
})).then((code) => {
  process.exitCode = code
})
