/**
 * Read-your-writes for reads that go through the read model: with the projector in this process,
 * a read first waits (at most 2 s) for the projections to reach the log's current end. With
 * `--projector off` another process projects and reads take the read model as it is.
 */
import { Projector } from "@cratos/projector"
import { EventStore } from "@cratos/store"
import { Duration, Effect } from "effect"
import { ServerContext } from "./ServerContext.js"
import { storageProblem } from "./StoreProblems.js"

export const FRESHNESS_PATIENCE = Duration.seconds(2)

export const fresh = Effect.gen(function* () {
  const { options } = yield* ServerContext
  if (!options.projector) return
  const position = yield* (yield* EventStore).lastPosition
  yield* (yield* Projector)
    .waitFor(position, { timeout: FRESHNESS_PATIENCE })
    .pipe(Effect.catchTag("ProjectionTimeout", (e) => Effect.logWarning(`read model behind the log: ${e.message}`)))
}).pipe(Effect.catchTag("StorageError", storageProblem))
