/** cratos-projector: the projector worker. Parsing and the run loop are in WorkerArgs.ts and Worker.ts. */
import { EventStore } from "@cratos/store"
import { Layer, Logger, LogLevel } from "effect"
import { JsonLogger } from "./JsonLogger.js"
import { runWorker } from "./Worker.js"

process.exitCode = await runWorker(process.argv.slice(2), (args) => ({
  store: EventStore.layer(args.db === undefined ? {} : { path: args.db }),
  logging: Layer.merge(JsonLogger, Logger.minimumLogLevel(LogLevel.Info))
}))
