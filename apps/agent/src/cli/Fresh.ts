/**
 * Read-your-writes for the CLI: read commands bring the projections up to the log's end before
 * they query (in this process; cheap when already up to date, and safe beside a running
 * projector worker: both commit checkpoints transactionally), and write commands do the same
 * before they print, so `list`/`show` right after a `run` see it.
 */
import { Projector } from "@cratos/projector"
import { Effect } from "effect"

export const catchUp = Effect.flatMap(Projector, (p) => p.catchUp).pipe(Effect.asVoid)
