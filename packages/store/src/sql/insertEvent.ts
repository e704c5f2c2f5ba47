/**
 * The seed's `insert_event`: one row, no version check, inside the caller's write transaction.
 * Returns the new row id, or undefined when the execution does not exist. Drizzle's builder,
 * prepared once.
 */
import type BetterSqlite3 from "better-sqlite3"
import { eq, sql } from "drizzle-orm"
import { executions } from "../schema/executions.js"
import { drizzleOn } from "./drizzleOn.js"
import { type EncodedEvent, prepareInsertEventRow, runInsertEventRow } from "./EncodedEvent.js"

export const prepareInsertEvent = (db: BetterSqlite3.Database) => {
  const d = drizzleOn(db)
  const exists = d
    .select({ id: executions.id })
    .from(executions)
    .where(eq(executions.id, sql.placeholder("executionId")))
    .prepare()
  const insert = prepareInsertEventRow(d)
  return (executionId: string, userId: string, event: EncodedEvent): number | undefined => {
    if (exists.get({ executionId }) === undefined) return undefined
    return runInsertEventRow(insert, executionId, userId, event)
  }
}
