/**
 * Retention on PostgreSQL: the same service as Retention.ts. One transaction marks the execution
 * in prune_marks (its row locked first: an append to it waits), deletes its events, read-model
 * rows, idempotency keys and executions row, and unmarks it; the triggers of migration 0001
 * refuse any other DELETE of events and any commit of a partial one. The statements are Drizzle's
 * builder (statements.ts), on drizzle over the transaction's client.
 */
import type { Timestamp } from "@cratos/domain"
import { drizzle } from "drizzle-orm/node-postgres"
import { Effect } from "effect"
import { finishedBefore } from "../finishedBefore.js"
import { ExecutionNotFinished, ExecutionNotFound } from "../errors.js"
import type { PruneResult, RetentionShape } from "../RetentionShape.js"
import { inTransaction } from "./inTransaction.js"
import { PostgresDatabase } from "./PostgresDatabase.js"
import { pgStorageError } from "./PostgresFailure.js"
import { preparePoolStatements, prepareTransactionStatements } from "./statements.js"

type PruneOutcome =
  | { readonly _tag: "Pruned"; readonly events: number }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "NotFinished"; readonly status: string }

export const make = Effect.gen(function* () {
  const { pool, location } = yield* PostgresDatabase
  const { FIND_FINISHED } = preparePoolStatements(drizzle({ client: pool }), pool)

  const pruneTx = (executionId: string): Promise<PruneOutcome> =>
    inTransaction(pool, async (client) => {
      const T = prepareTransactionStatements(drizzle({ client }))
      const values = { executionId }
      const row = (await T.EXECUTION_STATUS.execute(values))[0]
      let out: PruneOutcome
      if (row === undefined) out = { _tag: "NotFound" }
      else if (row.status !== "completed" && row.status !== "failed") out = { _tag: "NotFinished", status: row.status }
      else {
        await T.MARK.execute(values)
        const deleted = await T.DELETE_EVENTS.execute(values)
        for (const stmt of T.DELETE_DERIVED) await stmt.execute(values)
        await T.DELETE_EXECUTION.execute(values)
        await T.UNMARK.execute(values)
        out = { _tag: "Pruned", events: deleted.rowCount ?? 0 }
      }
      return out
    })

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
      try: async () => (await FIND_FINISHED.execute()).map((r): [string, string] => [r.id, r.finishedAt]),
      catch: (e) => pgStorageError("Retention.findPrunable", location, e)
    })
    return finishedBefore(rows, olderThan)
  })

  return { pruneExecution, findPrunable } satisfies RetentionShape
})
