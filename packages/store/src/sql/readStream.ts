/**
 * One execution's rows in append order (`ORDER BY id`, served by idx_events_execution_id).
 * Drizzle's builder, prepared once; `.values()` gives the driver's arrays.
 */
import type BetterSqlite3 from "better-sqlite3"
import { asc, eq, sql } from "drizzle-orm"
import { executionEvents as e } from "../schema/executionEvents.js"
import { drizzleOn } from "./drizzleOn.js"

type Row = typeof e.$inferSelect
/** [position, user_id, event_data] */
export type StreamRow = [Row["id"], Row["userId"], Row["eventData"]]

export const prepareReadStream = (db: BetterSqlite3.Database) => {
  const stmt = drizzleOn(db)
    .select({ id: e.id, userId: e.userId, eventData: e.eventData })
    .from(e)
    .where(eq(e.executionId, sql.placeholder("executionId")))
    .orderBy(asc(e.id))
    .prepare()
  return (executionId: string): Array<StreamRow> => stmt.values({ executionId }) as Array<StreamRow>
}
