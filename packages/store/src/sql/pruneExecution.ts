/**
 * Retention's only DELETE: a whole finished execution, inside the caller's write transaction.
 * The execution is marked in prune_marks first (the triggers of migration 0002 refuse a delete
 * of an unmarked execution's events), and the mark is removed last (it cannot be while an
 * event is left, and the transaction cannot commit while it is there).
 */
import type BetterSqlite3 from "better-sqlite3"

export type PruneOutcome =
  | { readonly _tag: "Pruned"; readonly events: number }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "NotFinished"; readonly status: string }

export const preparePruneExecution = (db: BetterSqlite3.Database) => {
  const status = db.prepare<[string], string>(`SELECT status FROM executions WHERE id = ?`).pluck(true)
  const mark = db.prepare<[string]>(`INSERT INTO prune_marks (execution_id) VALUES (?)`)
  const deleteEvents = db.prepare<[string]>(`DELETE FROM execution_events WHERE execution_id = ?`)
  const deleteReadModels = [
    `DELETE FROM execution_summaries WHERE execution_id = ?`,
    `DELETE FROM tool_calls WHERE execution_id = ?`,
    `DELETE FROM projector_dead_letters WHERE execution_id = ?`,
    `DELETE FROM idempotency_keys WHERE execution_id = ?`
  ].map((sql) => db.prepare<[string]>(sql))
  const deleteExecution = db.prepare<[string]>(`DELETE FROM executions WHERE id = ?`)
  const unmark = db.prepare<[string]>(`DELETE FROM prune_marks WHERE execution_id = ?`)

  return (executionId: string): PruneOutcome => {
    const s = status.get(executionId)
    if (s === undefined) return { _tag: "NotFound" }
    if (s !== "completed" && s !== "failed") return { _tag: "NotFinished", status: s }
    mark.run(executionId)
    const events = deleteEvents.run(executionId).changes
    for (const stmt of deleteReadModels) stmt.run(executionId)
    deleteExecution.run(executionId)
    unmark.run(executionId)
    return { _tag: "Pruned", events }
  }
}
