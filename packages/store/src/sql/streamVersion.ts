/** The number of events of an execution (0 when it has none). */
import type BetterSqlite3 from "better-sqlite3"

export const prepareStreamVersion = (db: BetterSqlite3.Database) => {
  const stmt = db.prepare<[string], number>(`SELECT count(*) FROM execution_events WHERE execution_id = ?`).pluck(true)
  return (executionId: string): number => stmt.get(executionId) ?? 0
}
