/**
 * One projector run, as the worker (`cratos-projector`) and the CLI (`cratos project`) start it:
 * optionally reset projections, catch up, then (`follow`) keep up until interrupted.
 * Interrupting it finishes the batch in progress (a batch is one transaction). The database is
 * the one `ProjectorDatabase` names (SQLite or PostgreSQL).
 */
import type { EventStore, StorageError } from "@cratos/store"
import { Effect } from "effect"
import type { UnknownProjection } from "./errors.js"
import { type CatchUpResult, Projector, type ProjectorError, type ProjectorOptions } from "./Projector.js"
import { ProjectorDatabase } from "./ProjectorDatabase.js"

export interface RunOptions extends ProjectorOptions {
  /** Keep following the log after catching up (default false: catch up once and return). */
  readonly follow?: boolean
  /** Reset these projections first (`true`: all) and rebuild them from position 0. */
  readonly rebuild?: string | true | undefined
}

export const runProjector = (
  options: RunOptions = {}
): Effect.Effect<CatchUpResult, ProjectorError | UnknownProjection | StorageError, ProjectorDatabase | EventStore> =>
  Effect.gen(function* () {
    // One follower per database (PostgreSQL: a session advisory lock; takes over from a dead leader).
    if (options.follow === true) yield* (yield* ProjectorDatabase).leadership
    const projector = yield* Projector.makeOn(options)
    if (options.rebuild !== undefined) yield* projector.reset(options.rebuild === true ? undefined : options.rebuild)
    const start = yield* Effect.clockWith((c) => c.currentTimeMillis)
    const result = yield* projector.catchUp
    const ms = (yield* Effect.clockWith((c) => c.currentTimeMillis)) - start
    yield* Effect.logInfo("caught up").pipe(
      Effect.annotateLogs({
        events: result.events,
        batches: result.batches,
        dead_letters: result.deadLetters,
        position: result.position,
        ms,
        events_per_s: ms > 0 ? Math.round((result.events * 1000) / ms) : null
      })
    )
    if (options.follow !== true) return result
    yield* Effect.logInfo("following the log")
    return yield* projector.follow
  }).pipe(Effect.scoped, Effect.withSpan("runProjector"))
