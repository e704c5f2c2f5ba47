/**
 * The projector's database on SQLite: the shared better-sqlite3 connection, a batch applied in one
 * synchronous `BEGIN IMMEDIATE` transaction (BatchApplier.ts), SQLITE_BUSY retried with backoff
 * (on top of the connection's busy timeout).
 */
import { Database, isBusy, type StorageError, toStorageError } from "@cratos/store"
import { Duration, Effect, Schedule } from "effect"
import { type BatchOutcome, CheckpointMoved, makeBatchApplier } from "./BatchApplier.js"
import { PoisonEvent, ProjectionVersionAhead } from "./errors.js"
import type { PoisonPolicy } from "./PoisonPolicy.js"
import { contextOf, type Projection } from "./Projection.js"
import type { ProjectionReset, ProjectorBackend } from "./ProjectorBackend.js"
import { readLag } from "./sql/readModelStatements.js"
import { prepareCheckpoints } from "./sql/checkpoints.js"
import { prepareDeadLetters } from "./sql/deadLetters.js"
import { trySqlite } from "./sql/trySqlite.js"

/** Up to 8 more tries, 100 ms doubling to 5 s (on top of the connection's busy timeout). */
const busyRetry = Schedule.exponential(Duration.millis(100)).pipe(
  Schedule.union(Schedule.spaced(Duration.seconds(5))),
  Schedule.intersect(Schedule.recurs(8))
)

export const make = (
  projections: ReadonlyArray<Projection>,
  policy: PoisonPolicy
): Effect.Effect<ProjectorBackend, StorageError, Database> =>
  Effect.gen(function* () {
    const { connection: db, path } = yield* Database
    const { checkpoints, applyTx, resetTx, ensureTx } = yield* trySqlite("Projector.prepare", path, () => {
      const checkpoints = prepareCheckpoints(db)
      const deadLetters = prepareDeadLetters(db)
      const ctx = contextOf(db)
      const resetOne = (p: Projection, now: string) => {
        p.sqlite.reset(ctx)
        deadLetters.clear(p.name)
        checkpoints.put(p.name, p.version, 0, now)
      }
      const ensure = (now: string): Array<ProjectionReset> => {
        const done: Array<ProjectionReset> = []
        for (const p of projections) {
          const cp = checkpoints.get(p.name)
          if (cp !== undefined && cp.version === p.version) continue
          if (cp !== undefined && cp.version > p.version) {
            throw new ProjectionVersionAhead({ projection: p.name, stored: cp.version, version: p.version })
          }
          resetOne(p, now)
          done.push({ name: p.name, from: cp?.version ?? null, to: p.version })
        }
        return done
      }
      return {
        checkpoints,
        applyTx: makeBatchApplier(db, projections, policy),
        resetTx: db.transaction((chosen: ReadonlyArray<Projection>, now: string) => {
          for (const p of chosen) resetOne(p, now)
        }),
        ensureTx: db.transaction(ensure)
      }
    })

    const failure = (operation: string) => (cause: unknown) =>
      cause instanceof PoisonEvent || cause instanceof ProjectionVersionAhead
        ? cause
        : toStorageError(operation, path, cause)

    const lowest = () => {
      let low = Number.POSITIVE_INFINITY
      for (const p of projections) {
        const cp = checkpoints.get(p.name)
        low = Math.min(low, cp !== undefined && cp.version === p.version ? cp.position : 0)
      }
      return low === Number.POSITIVE_INFINITY ? 0 : low
    }

    const backend: ProjectorBackend = {
      location: path,
      ensure: (now) =>
        Effect.try({
          try: () => ensureTx.immediate(now),
          catch: failure("Projector.ensure") as (e: unknown) => ProjectionVersionAhead | StorageError
        }).pipe(Effect.retry({ schedule: busyRetry, while: isBusy })),
      apply: (entries, now) =>
        Effect.try({
          try: (): BatchOutcome | "moved" => {
            try {
              return applyTx(entries, now)
            } catch (e) {
              if (e instanceof CheckpointMoved) return "moved"
              throw e
            }
          },
          catch: failure("Projector.applyBatch") as (e: unknown) => PoisonEvent | StorageError
        }).pipe(
          Effect.tapError((e) =>
            isBusy(e)
              ? Effect.logWarning("database busy: retrying the batch").pipe(Effect.annotateLogs({ reason: e.message }))
              : Effect.void
          ),
          Effect.retry({ schedule: busyRetry, while: isBusy })
        ),
      reset: (chosen, now) => trySqlite("Projector.reset", path, () => resetTx.immediate(chosen, now)),
      lowestCheckpoint: trySqlite("Projector.checkpoints", path, lowest),
      lag: (known) => trySqlite("Projector.lag", path, () => readLag(db, known))
    }
    return backend
  })
