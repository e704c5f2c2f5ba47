/** Finished executions with the time they finished (completed_at, else created_at). */
import type BetterSqlite3 from "better-sqlite3"

/** [id, finished_at] */
export type FinishedRow = [string, string]

const SQL = `SELECT id, coalesce(completed_at, created_at) FROM executions
WHERE status IN ('completed', 'failed') ORDER BY created_at, id`

export const prepareFindFinished = (db: BetterSqlite3.Database) => {
  const stmt = db.prepare<[], FinishedRow>(SQL).raw(true)
  return (): Array<FinishedRow> => stmt.all()
}
