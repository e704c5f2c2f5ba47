/**
 * Retention: the only way events leave the log. A whole finished (completed or failed)
 * execution is removed in one transaction: its events, its read-model rows (summary, tool
 * calls, dead letters, idempotency keys) and its executions row. The database's triggers
 * (migration 0002) refuse any other DELETE of events and any commit of a partial one.
 */
import type { Timestamp } from "@cratos/domain"
import { Context, Effect, Layer } from "effect"
import { finishedBefore } from "./finishedBefore.js"
import type { PostgresDatabase } from "./postgres/PostgresDatabase.js"
import type { PruneResult, RetentionShape } from "./RetentionShape.js"
import { Database } from "./Database.js"
import { ExecutionNotFinished, ExecutionNotFound, type StorageError } from "./errors.js"
import { prepareFindFinished } from "./sql/findPrunable.js"
import { preparePruneExecution } from "./sql/pruneExecution.js"
import { toStorageError } from "./SqliteFailure.js"

export type { PruneResult, RetentionShape } from "./RetentionShape.js"

export const make = Effect.gen(function* () {
  const { connection: db, path } = yield* Database
  const finished = yield* Effect.try({
    try: () => prepareFindFinished(db),
    catch: (e) => toStorageError("Retention.prepare", path, e)
  })
  // Prepared at the first prune: a read-only connection to an unmigrated seed database lacks
  // the read-model tables it deletes from.
  let prune: ReturnType<typeof preparePruneExecution> | undefined
  const pruneTx = db.transaction((executionId: string) => (prune ??= preparePruneExecution(db))(executionId))

  const pruneExecution = Effect.fn("Retention.pruneExecution")(function* (executionId: string) {
    const out = yield* Effect.try({
      try: () => pruneTx.immediate(executionId),
      catch: (e) => toStorageError("Retention.pruneExecution", path, e)
    })
    switch (out._tag) {
      case "NotFound":
        return yield* Effect.fail(new ExecutionNotFound({ executionId }))
      case "NotFinished":
        return yield* Effect.fail(new ExecutionNotFinished({ executionId, status: out.status }))
      case "Pruned":
        return { executionId, events: out.events } satisfies PruneResult
    }
  })

  const findPrunable = Effect.fn("Retention.findPrunable")(function* (olderThan: Timestamp.Timestamp) {
    const rows = yield* Effect.try({
      try: () => finished(),
      catch: (e) => toStorageError("Retention.findPrunable", path, e)
    })
    return finishedBefore(rows, olderThan)
  })

  return { pruneExecution, findPrunable } satisfies RetentionShape
})

export class Retention extends Context.Tag("@cratos/store/Retention")<Retention, RetentionShape>() {
  static readonly make: Effect.Effect<RetentionShape, StorageError, Database> = make
  /** Retention on the Database service's connection. */
  static readonly layer: Layer.Layer<Retention, StorageError, Database> = Layer.effect(Retention, make)
  /** Retention on the PostgreSQL pool (`pg` loaded here, on first use). */
  static readonly layerPostgres: Layer.Layer<Retention, never, PostgresDatabase> = Layer.unwrapEffect(
    Effect.map(
      Effect.promise(() => import("./postgres/PostgresModules.js")),
      (m) => Layer.effect(Retention, m.makeRetention)
    )
  )
}
