/**
 * Starting an execution: its `executions` row (status pending) and its MessageReceived, inside
 * the caller's write transaction.
 */
import type BetterSqlite3 from "better-sqlite3"
import { type EncodedEvent, INSERT_EVENT_SQL } from "./EncodedEvent.js"

export interface ExecutionRow {
  readonly id: string
  readonly userId: string
  readonly channel: string
  readonly inputText: string
  readonly createdAt: string
}

export type StartOutcome = { readonly _tag: "Started"; readonly position: number } | { readonly _tag: "AlreadyExists" }

const EXISTS_SQL = `SELECT 1 FROM executions WHERE id = ?`
const INSERT_EXECUTION_SQL = `INSERT INTO executions (id, user_id, channel, input_text, status, created_at)
VALUES (?, ?, ?, ?, 'pending', ?)`

export const prepareStartExecution = (db: BetterSqlite3.Database) => {
  const exists = db.prepare<[string]>(EXISTS_SQL).pluck(true)
  const insertExecution = db.prepare<[string, string, string, string, string]>(INSERT_EXECUTION_SQL)
  const insertEvent = db.prepare<[string, string, string, string, string]>(INSERT_EVENT_SQL)
  return (row: ExecutionRow, event: EncodedEvent): StartOutcome => {
    if (exists.get(row.id) !== undefined) return { _tag: "AlreadyExists" }
    insertExecution.run(row.id, row.userId, row.channel, row.inputText, row.createdAt)
    const r = insertEvent.run(row.id, row.userId, event.eventType, event.eventData, event.timestamp)
    return { _tag: "Started", position: Number(r.lastInsertRowid) }
  }
}
