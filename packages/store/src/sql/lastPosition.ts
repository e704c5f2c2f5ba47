/** The highest position in the log (0 when empty). */
import type BetterSqlite3 from "better-sqlite3"

export const prepareLastPosition = (db: BetterSqlite3.Database) => {
  const stmt = db.prepare<[], number>(`SELECT coalesce(max(id), 0) FROM execution_events`).pluck(true)
  return (): number => stmt.get() ?? 0
}
