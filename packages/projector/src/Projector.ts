/**
 * The projector: keeps every projection's tables in step with the event log, on SQLite or
 * PostgreSQL (the database's part is a `ProjectorBackend`; the logic here is shared).
 *
 * - `catchUp`: applies the log from the projections' checkpoints up to the end the log had when
 *   it started, in batches (one transaction each, see BatchApplier.ts), memory bounded by the
 *   batch size; a projection without a checkpoint, or whose version changed, is reset first
 *   and rebuilt from position 0.
 * - `follow`: catch up, then wait cheaply for new events (PostgreSQL: LISTEN/NOTIFY with a
 *   polling fallback; SQLite: polls the log's last position, 50 ms backing off to 1 s while
 *   idle), forever. Interrupting it finishes the current batch.
 * - `rebuild(name?)`: resets one projection (or all) and replays the log from 0.
 * - `waitFor(position)`: read-your-writes: waits until every projection has reached a position.
 * - `followAsLeader`: `follow` once this process leads the database's projection (PostgreSQL: the
 *   session advisory lock `ProjectorDatabase.leadership` takes; SQLite: at once), waiting until
 *   then: what `cratos serve`'s in-process projector runs, so several servers do not take turns.
 * - `lag`: how far each projection is behind.
 */
import { type Database, EventStore, type LogEntry, type StorageError } from "@cratos/store"
import { Chunk, Context, Duration, Effect, Layer, type Scope, Stream } from "effect"
import { ProjectionTimeout, type PoisonEvent, type ProjectionVersionAhead, UnknownProjection } from "./errors.js"
import type { PoisonPolicy } from "./PoisonPolicy.js"
import type { Projection } from "./Projection.js"
import type { ProjectorBackend } from "./ProjectorBackend.js"
import { ProjectorDatabase } from "./ProjectorDatabase.js"
import type { ProjectorStatus } from "./ProjectionLag.js"
import { defaultProjections } from "./projections/index.js"
import * as SqliteBackend from "./SqliteProjectorBackend.js"

export interface ProjectorOptions {
  /** Default: `defaultProjections`. */
  readonly projections?: ReadonlyArray<Projection>
  /** Default `dead-letter`. */
  readonly poison?: PoisonPolicy
  /** Log entries per transaction (default 1000). */
  readonly batchSize?: number
  /** Idle polling interval of `follow`: from `pollMinMs` (50) doubling to `pollMaxMs` (1000). */
  readonly pollMinMs?: number
  readonly pollMaxMs?: number
}

export interface CatchUpResult {
  /** Log entries read (each applied to the projections that had not seen it). */
  readonly events: number
  readonly batches: number
  readonly deadLetters: number
  /** The position all projections have reached. */
  readonly position: number
}

export type ProjectorError = PoisonEvent | ProjectionVersionAhead | StorageError

export interface ProjectorShape {
  readonly catchUp: Effect.Effect<CatchUpResult, ProjectorError>
  readonly follow: Effect.Effect<never, ProjectorError>
  /** Waits to lead (one following projector per database), then follows; the lead is held until interrupted. */
  readonly followAsLeader: Effect.Effect<never, ProjectorError>
  /** Resets the named projection (every one when omitted) and replays the log from 0. */
  readonly rebuild: (name?: string) => Effect.Effect<CatchUpResult, ProjectorError | UnknownProjection>
  /** Resets without replaying (the next catch-up rebuilds). */
  readonly reset: (name?: string) => Effect.Effect<void, StorageError | UnknownProjection>
  readonly waitFor: (
    position: number,
    options?: { readonly timeout?: Duration.DurationInput }
  ) => Effect.Effect<void, ProjectionTimeout | StorageError>
  readonly lag: Effect.Effect<ProjectorStatus, StorageError>
}

export class Projector extends Context.Tag("@cratos/projector/Projector")<Projector, ProjectorShape>() {
  /** The projector on SQLite (the shared Database). */
  static readonly make = (
    options: ProjectorOptions = {}
  ): Effect.Effect<ProjectorShape, StorageError, Database | EventStore> => make(options)
  /** The projector on the database `ProjectorDatabase` names (either dialect), for the scope's life. */
  static readonly makeOn = (
    options: ProjectorOptions = {}
  ): Effect.Effect<ProjectorShape, StorageError, ProjectorDatabase | EventStore | Scope.Scope> => makeOn(options)
  /** The projector on the shared Database and EventStore. */
  static readonly layer = (
    options: ProjectorOptions = {}
  ): Layer.Layer<Projector, StorageError, Database | EventStore> => Layer.effect(Projector, make(options))
  /** The projector on the database `ProjectorDatabase` names. */
  static readonly layerOn = (
    options: ProjectorOptions = {}
  ): Layer.Layer<Projector, StorageError, ProjectorDatabase | EventStore> => Layer.scoped(Projector, makeOn(options))
}

/** Ends a pass early: a checkpoint was reset by another projector. */
const CHECKPOINT_MOVED = { _tag: "CheckpointMoved" } as const

const nowIso = Effect.map(
  Effect.clockWith((c) => c.currentTimeMillis),
  (ms) => new Date(ms).toISOString()
)

/** The projector on SQLite (the shared Database). */
export const make = (options: ProjectorOptions = {}) =>
  Effect.flatMap(
    SqliteBackend.make(options.projections ?? defaultProjections, options.poison ?? "dead-letter"),
    (backend) => makeWith(backend, options)
  )

/** The projector on the database `ProjectorDatabase` names. */
export const makeOn = (options: ProjectorOptions = {}) =>
  Effect.flatMap(ProjectorDatabase, (database) =>
    Effect.flatMap(
      database.backend(options.projections ?? defaultProjections, options.poison ?? "dead-letter"),
      (backend) => makeWith(backend, options, database.leadership)
    )
  )

/**
 * The projector's logic over a backend (either dialect). `leadership`: how `followAsLeader`
 * becomes the one follower (`ProjectorDatabase.leadership`; none on SQLite's shared Database).
 */
export const makeWith = (
  backend: ProjectorBackend,
  options: ProjectorOptions = {},
  leadership: Effect.Effect<void, StorageError, Scope.Scope> = Effect.void
) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const projections = options.projections ?? defaultProjections
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1000))
    const pollMin = options.pollMinMs ?? 50
    const pollMax = Math.max(pollMin, options.pollMaxMs ?? 1000)
    const names = projections.map((p) => p.name)

    const ensure = Effect.gen(function* () {
      const now = yield* nowIso
      const done = yield* backend.ensure(now)
      for (const r of done) {
        yield* Effect.logInfo(
          r.from === null ? "projection initialized" : "projection version changed: rebuilding"
        ).pipe(Effect.annotateLogs({ projection: r.name, from_version: r.from, to_version: r.to }))
      }
    })

    const applyBatch = (entries: ReadonlyArray<LogEntry>) =>
      Effect.gen(function* () {
        const now = yield* nowIso
        const outcome = yield* backend.apply(entries, now)
        if (outcome === "moved") return outcome
        for (const d of outcome.deadLetters) {
          yield* Effect.logWarning("poison event dead-lettered").pipe(
            Effect.annotateLogs({
              projection: d.projection,
              position: d.position,
              execution_id: d.executionId,
              reason: d.reason
            })
          )
        }
        return outcome
      })

    /**
     * One pass over the log from `from`: a single stream (its pages are the batches), bounded
     * to `target - from` entries, so a pass ends even while writers keep appending. Stops early
     * (Left) when another projector reset a checkpoint under us.
     */
    const pass = (from: number, target: number, totals: { events: number; batches: number; deadLetters: number }) =>
      Stream.runForEachChunk(store.readLog({ after: from, limit: target - from, batchSize }), (chunk) =>
        Effect.flatMap(applyBatch(Chunk.toReadonlyArray(chunk)), (outcome) => {
          if (outcome === "moved") return Effect.fail(CHECKPOINT_MOVED)
          totals.events += chunk.length
          totals.batches += 1
          totals.deadLetters += outcome.deadLetters.length
          return Effect.void
        })
      ).pipe(
        Effect.as(true),
        Effect.catchIf(
          (e): e is typeof CHECKPOINT_MOVED => e === CHECKPOINT_MOVED,
          () => Effect.succeed(false)
        )
      )

    const catchUp: ProjectorShape["catchUp"] = Effect.gen(function* () {
      yield* ensure
      const target = yield* store.lastPosition
      const totals = { events: 0, batches: 0, deadLetters: 0 }
      while (true) {
        const from = yield* backend.lowestCheckpoint
        if (from >= target) break
        if (yield* pass(from, target, totals)) break
        yield* ensure
      }
      const position = yield* backend.lowestCheckpoint
      return { ...totals, position }
    }).pipe(Effect.withSpan("Projector.catchUp"))

    const follow: ProjectorShape["follow"] = Effect.gen(function* () {
      let delay = pollMin
      let seen = -1
      while (true) {
        const last = yield* store.lastPosition
        if (last !== seen) {
          const result = yield* catchUp
          if (result.events > 0) {
            yield* Effect.logDebug("caught up").pipe(
              Effect.annotateLogs({ events: result.events, batches: result.batches, position: result.position })
            )
          }
          seen = last
          delay = pollMin
        } else if (backend.waitForAppend !== undefined) {
          // Woken by the database when an append commits; the timeout only bounds a missed notice.
          yield* backend.waitForAppend(pollMax)
        } else {
          yield* Effect.sleep(Duration.millis(delay))
          delay = Math.min(pollMax, delay * 2)
        }
      }
    }).pipe(Effect.withSpan("Projector.follow"))

    const followAsLeader: ProjectorShape["followAsLeader"] = Effect.scoped(Effect.zipRight(leadership, follow))

    const chosen = (name?: string) =>
      name === undefined
        ? Effect.succeed(projections)
        : Effect.fromNullable(projections.find((p) => p.name === name)).pipe(
            Effect.map((p) => [p]),
            Effect.mapError(() => new UnknownProjection({ name, known: names }))
          )

    const reset: ProjectorShape["reset"] = Effect.fn("Projector.reset")(function* (name?: string) {
      const which = yield* chosen(name)
      const now = yield* nowIso
      yield* backend.reset(which, now)
      yield* Effect.logInfo("projections reset").pipe(Effect.annotateLogs({ projections: which.map((p) => p.name) }))
    })

    const rebuild: ProjectorShape["rebuild"] = Effect.fn("Projector.rebuild")(function* (name?: string) {
      yield* reset(name)
      return yield* catchUp
    })

    const waitFor: ProjectorShape["waitFor"] = Effect.fn("Projector.waitFor")(function* (position, opts = {}) {
      const timeoutMs = Duration.toMillis(opts.timeout ?? Duration.seconds(5))
      const start = yield* Effect.clockWith((c) => c.currentTimeMillis)
      let delay = 5
      while (true) {
        const reached = yield* backend.lowestCheckpoint
        if (reached >= position) return
        const elapsed = (yield* Effect.clockWith((c) => c.currentTimeMillis)) - start
        if (elapsed >= timeoutMs) return yield* Effect.fail(new ProjectionTimeout({ position, reached, timeoutMs }))
        yield* Effect.sleep(Duration.millis(Math.min(delay, Math.max(1, timeoutMs - elapsed))))
        delay = Math.min(100, delay * 2)
      }
    })

    const lag: ProjectorShape["lag"] = backend.lag(projections).pipe(Effect.withSpan("Projector.lag"))

    return { catchUp, follow, followAsLeader, rebuild, reset, waitFor, lag } satisfies ProjectorShape
  })
