/** A page of the global log after a position (keyset pagination on the rowid). */
import type BetterSqlite3 from "better-sqlite3"

/** [position, execution_id, user_id, event_data] */
export type LogRow = readonly [number, string, string, string]

const SQL = `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE id > ? ORDER BY id LIMIT ?`

export const prepareReadLogPage = (db: BetterSqlite3.Database) => {
  const stmt = db.prepare<[number, number], LogRow>(SQL).raw(true)
  return (after: number, limit: number): Array<LogRow> => stmt.all(after, limit)
}
