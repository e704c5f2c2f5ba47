/**
 * Retention on PostgreSQL: the same service as Retention.ts. One transaction marks the execution
 * in prune_marks (its row locked first: an append to it waits), deletes its events, read-model
 * rows, idempotency keys and executions row, and unmarks it; the triggers of migration 0001
 * refuse any other DELETE of events and any commit of a partial one.
 */
import type { Timestamp } from "@cratos/domain"
import { Effect } from "effect"
import { finishedBefore } from "../finishedBefore.js"
import { ExecutionNotFinished, ExecutionNotFound } from "../errors.js"
import type { PruneResult, RetentionShape } from "../RetentionShape.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import { pgStorageError } from "./PostgresFailure.js"
import * as Q from "./statements.js"

type PruneOutcome =
  | { readonly _tag: "Pruned"; readonly events: number }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "NotFinished"; readonly status: string }

const DELETE_DERIVED = [
  `DELETE FROM execution_summaries WHERE execution_id = $1`,
  `DELETE FROM tool_calls WHERE execution_id = $1`,
  `DELETE FROM projector_dead_letters WHERE execution_id = $1`,
  `DELETE FROM idempotency_keys WHERE execution_id = $1`
]

export const make = Effect.gen(function* () {
  const { pool, location } = yield* PostgresDatabase

  const pruneTx = async (executionId: string): Promise<PruneOutcome> => {
    const client = await pool.connect()
    try {
      await client.query("BEGIN")
      try {
        const row = (await client.query<{ status: string }>(Q.EXECUTION_STATUS([executionId]))).rows[0]
        let out: PruneOutcome
        if (row === undefined) out = { _tag: "NotFound" }
        else if (row.status !== "completed" && row.status !== "failed")
          out = { _tag: "NotFinished", status: row.status }
        else {
          await client.query(`INSERT INTO prune_marks (execution_id) VALUES ($1)`, [executionId])
          const deleted = await client.query(`DELETE FROM execution_events WHERE execution_id = $1`, [executionId])
          for (const text of DELETE_DERIVED) await client.query(text, [executionId])
          await client.query(`DELETE FROM executions WHERE id = $1`, [executionId])
          await client.query(`DELETE FROM prune_marks WHERE execution_id = $1`, [executionId])
          out = { _tag: "Pruned", events: deleted.rowCount ?? 0 }
        }
        await client.query("COMMIT")
        return out
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined)
        throw e
      }
    } finally {
      client.release()
    }
  }

  const pruneExecution = Effect.fn("Retention.pruneExecution")(function* (executionId: string) {
    const out = yield* Effect.tryPromise({
      try: () => pruneTx(executionId),
      catch: (e) => pgStorageError("Retention.pruneExecution", location, e)
    })
    switch (out._tag) {
      case "NotFound":
        return yield* new ExecutionNotFound({ executionId })
      case "NotFinished":
        return yield* new ExecutionNotFinished({ executionId, status: out.status })
      case "Pruned":
        return { executionId, events: out.events } satisfies PruneResult
    }
  })

  const findPrunable = Effect.fn("Retention.findPrunable")(function* (olderThan: Timestamp.Timestamp) {
    const rows = yield* Effect.tryPromise({
      try: async () =>
        (
          await pool.query<[string, string]>({
            text: `SELECT id, coalesce(completed_at, created_at) FROM executions
              WHERE status IN ('completed', 'failed') ORDER BY created_at, id`,
            rowMode: "array"
          })
        ).rows,
      catch: (e) => pgStorageError("Retention.findPrunable", location, e)
    })
    return finishedBefore(rows, olderThan)
  })

  return { pruneExecution, findPrunable } satisfies RetentionShape
})
