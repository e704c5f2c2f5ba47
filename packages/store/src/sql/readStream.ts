/** One execution's rows in append order (`ORDER BY id`, served by idx_events_execution_id). */
import type BetterSqlite3 from "better-sqlite3"

/** [position, user_id, event_data] */
export type StreamRow = [number, string, string]

const SQL = `SELECT id, user_id, event_data FROM execution_events WHERE execution_id = ? ORDER BY id`

export const prepareReadStream = (db: BetterSqlite3.Database) => {
  const stmt = db.prepare<[string], StreamRow>(SQL).raw(true)
  return (executionId: string): Array<StreamRow> => stmt.all(executionId)
}
