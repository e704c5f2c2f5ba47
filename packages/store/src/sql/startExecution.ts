/**
 * Starting an execution: its `executions` row (status pending) and its MessageReceived, inside
 * the caller's write transaction. Drizzle's builder, prepared once.
 */
import type BetterSqlite3 from "better-sqlite3"
import { eq, sql } from "drizzle-orm"
import { executions } from "../schema/executions.js"
import { drizzleOn } from "./drizzleOn.js"
import { type EncodedEvent, prepareInsertEventRow, runInsertEventRow } from "./EncodedEvent.js"

export interface ExecutionRow {
  readonly id: string
  readonly userId: string
  readonly channel: string
  readonly inputText: string
  readonly createdAt: string
}

export type StartOutcome = { readonly _tag: "Started"; readonly position: number } | { readonly _tag: "AlreadyExists" }

export const prepareStartExecution = (db: BetterSqlite3.Database) => {
  const d = drizzleOn(db)
  const exists = d
    .select({ id: executions.id })
    .from(executions)
    .where(eq(executions.id, sql.placeholder("id")))
    .prepare()
  const insertExecution = d
    .insert(executions)
    .values({
      id: sql.placeholder("id"),
      userId: sql.placeholder("userId"),
      channel: sql.placeholder("channel"),
      inputText: sql.placeholder("inputText"),
      status: "pending",
      createdAt: sql.placeholder("createdAt")
    })
    .prepare()
  const insertEvent = prepareInsertEventRow(d)
  return (row: ExecutionRow, event: EncodedEvent): StartOutcome => {
    if (exists.get({ id: row.id }) !== undefined) return { _tag: "AlreadyExists" }
    insertExecution.run({
      id: row.id,
      userId: row.userId,
      channel: row.channel,
      inputText: row.inputText,
      createdAt: row.createdAt
    } satisfies ExecutionRow)
    return { _tag: "Started", position: runInsertEventRow(insertEvent, row.id, row.userId, event) }
  }
}
