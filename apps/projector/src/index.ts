/** The projector worker (`cratos-projector`): its command line and its run function. */
export { jsonLine, JsonLogger } from "./JsonLogger.js"
export { type Parsed, parseWorkerArgs, USAGE, UsageError, type WorkerArgs } from "./WorkerArgs.js"
export { program, runWorker, type WorkerLayer } from "./Worker.js"
export { type RunOptions, runProjector } from "@cratos/projector"
