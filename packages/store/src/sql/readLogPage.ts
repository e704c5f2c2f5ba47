/**
 * A page of the global log after a position (keyset pagination on the rowid). Drizzle's builder,
 * prepared once; `.values()` gives the driver's arrays (no per-row mapping on the log's hot path).
 */
import type BetterSqlite3 from "better-sqlite3"
import { asc, gt, sql } from "drizzle-orm"
import { executionEvents as e } from "../schema/executionEvents.js"
import { drizzleOn } from "./drizzleOn.js"

type Row = typeof e.$inferSelect
/** [position, execution_id, user_id, event_data] */
export type LogRow = readonly [Row["id"], Row["executionId"], Row["userId"], Row["eventData"]]

export const prepareReadLogPage = (db: BetterSqlite3.Database) => {
  const stmt = drizzleOn(db)
    .select({ id: e.id, executionId: e.executionId, userId: e.userId, eventData: e.eventData })
    .from(e)
    .where(gt(e.id, sql.placeholder("after")))
    .orderBy(asc(e.id))
    .limit(sql.placeholder("limit"))
    .prepare()
  return (after: number, limit: number): Array<LogRow> => stmt.values({ after, limit }) as unknown as Array<LogRow>
}
