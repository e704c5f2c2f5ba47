/** The number of events of an execution (0 when it has none). Drizzle's builder, prepared once. */
import type BetterSqlite3 from "better-sqlite3"
import { count, eq, sql } from "drizzle-orm"
import { executionEvents as e } from "../schema/executionEvents.js"
import { drizzleOn } from "./drizzleOn.js"

export const prepareStreamVersion = (db: BetterSqlite3.Database) => {
  const stmt = drizzleOn(db)
    .select({ n: count() })
    .from(e)
    .where(eq(e.executionId, sql.placeholder("executionId")))
    .prepare()
  return (executionId: string): number => stmt.get({ executionId })?.n ?? 0
}
