/**
 * Retention's only DELETE: a whole finished execution, inside the caller's write transaction.
 * The execution is marked in prune_marks first (the triggers of migration 0002 refuse a delete
 * of an unmarked execution's events), and the mark is removed last (it cannot be while an
 * event is left, and the transaction cannot commit while it is there). Drizzle's builder,
 * prepared once.
 */
import type BetterSqlite3 from "better-sqlite3"
import { eq, sql } from "drizzle-orm"
import { executionEvents } from "../schema/executionEvents.js"
import { executions } from "../schema/executions.js"
import { executionSummaries } from "../schema/executionSummaries.js"
import { idempotencyKeys } from "../schema/idempotencyKeys.js"
import { projectorDeadLetters } from "../schema/projectorDeadLetters.js"
import { toolCalls } from "../schema/toolCalls.js"
import { drizzleOn } from "./drizzleOn.js"
import { pruneMarks } from "./pruneMarks.js"

export type PruneOutcome =
  | { readonly _tag: "Pruned"; readonly events: number }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "NotFinished"; readonly status: string }

export const preparePruneExecution = (db: BetterSqlite3.Database) => {
  const d = drizzleOn(db)
  const id = sql.placeholder("executionId")
  const status = d.select({ status: executions.status }).from(executions).where(eq(executions.id, id)).prepare()
  const mark = d.insert(pruneMarks).values({ executionId: id }).prepare()
  const deleteEvents = d.delete(executionEvents).where(eq(executionEvents.executionId, id)).prepare()
  const deleteReadModels = [
    d.delete(executionSummaries).where(eq(executionSummaries.executionId, id)).prepare(),
    d.delete(toolCalls).where(eq(toolCalls.executionId, id)).prepare(),
    d.delete(projectorDeadLetters).where(eq(projectorDeadLetters.executionId, id)).prepare(),
    d.delete(idempotencyKeys).where(eq(idempotencyKeys.executionId, id)).prepare()
  ]
  const deleteExecution = d.delete(executions).where(eq(executions.id, id)).prepare()
  const unmark = d.delete(pruneMarks).where(eq(pruneMarks.executionId, id)).prepare()

  return (executionId: string): PruneOutcome => {
    const values = { executionId }
    const s = status.get(values)?.status
    if (s === undefined) return { _tag: "NotFound" }
    if (s !== "completed" && s !== "failed") return { _tag: "NotFinished", status: s }
    mark.run(values)
    const events = deleteEvents.run(values).changes
    for (const stmt of deleteReadModels) stmt.run(values)
    deleteExecution.run(values)
    unmark.run(values)
    return { _tag: "Pruned", events }
  }
}
