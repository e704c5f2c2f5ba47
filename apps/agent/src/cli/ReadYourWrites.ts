/**
 * Read-your-writes for the CLI: read commands bring the projections up to the log's end before
 * they query, and write commands do the same before they print, so `list`/`show` right after a
 * `run` see it, with or without a projector worker (both commit checkpoints transactionally).
 *
 * Cheap when already up to date: the projections' lag is read first (no lock taken), and only a
 * projection that is behind makes it take the write lock. When another process holds that lock
 * for longer than a few seconds (a long import, a worker mid-batch), the command goes on with
 * the read model as it is and says so on stderr, rather than wait: reading never blocks on a
 * writer for long.
 */
import { Projector } from "@cratos/projector"
import { isBusy, StorageLocation } from "@cratos/store"
import { Duration, Effect } from "effect"

/** How long a command waits for the projections before going on without them. */
export const CATCH_UP_PATIENCE = Duration.seconds(4)

/** The projector's catch-up, given up after CATCH_UP_PATIENCE or on a busy database (saying so when `warn`). */
const patiently = (warn: boolean) =>
  Effect.gen(function* () {
    const projector = yield* Projector
    const { location } = yield* StorageLocation
    const behind = warn
      ? Effect.logWarning(`the read model may be behind the log: ${location} is locked by another writer`)
      : Effect.void
    yield* projector.catchUp.pipe(
      Effect.timeoutFail({ duration: CATCH_UP_PATIENCE, onTimeout: () => "timeout" as const }),
      Effect.catchAll((e) => (e === "timeout" || isBusy(e) ? behind : Effect.fail(e)))
    )
  })

export const catchUpReadModel = Effect.gen(function* () {
  const projector = yield* Projector
  const lag = yield* projector.lag
  if (lag.projections.every((p) => p.lag === 0)) return
  yield* patiently(true)
})

/**
 * The same without the lag shortcut, before a writer that projects what it writes (import): it
 * also creates the checkpoints of a database that has none yet (an empty log has no lag). Quiet
 * when it cannot: the write then says why it cannot either, or the catch-up after it warns.
 */
export const catchUpBeforeWriting = Effect.gen(function* () {
  const lag = yield* Effect.flatMap(Projector, (p) => p.lag)
  // a log with rows and no lag: every checkpoint is there, at the log's end
  if (lag.last_position > 0 && lag.projections.every((p) => p.lag === 0)) return
  yield* patiently(false)
})
