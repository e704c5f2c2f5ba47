/**
 * The seed's `insert_event`: one row, no version check, inside the caller's write transaction.
 * Returns the new row id, or undefined when the execution does not exist.
 */
import type BetterSqlite3 from "better-sqlite3"
import { type EncodedEvent, INSERT_EVENT_SQL } from "./EncodedEvent.js"

export const prepareInsertEvent = (db: BetterSqlite3.Database) => {
  const exists = db.prepare<[string]>(`SELECT 1 FROM executions WHERE id = ?`).pluck(true)
  const insert = db.prepare<[string, string, string, string, string]>(INSERT_EVENT_SQL)
  return (executionId: string, userId: string, event: EncodedEvent): number | undefined => {
    if (exists.get(executionId) === undefined) return undefined
    return Number(insert.run(executionId, userId, event.eventType, event.eventData, event.timestamp).lastInsertRowid)
  }
}
