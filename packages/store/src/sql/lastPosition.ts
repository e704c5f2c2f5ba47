/** The highest position in the log (0 when empty). Drizzle's builder, prepared once. */
import type BetterSqlite3 from "better-sqlite3"
import { max } from "drizzle-orm"
import { executionEvents } from "../schema/executionEvents.js"
import { drizzleOn } from "./drizzleOn.js"

export const prepareLastPosition = (db: BetterSqlite3.Database) => {
  const stmt = drizzleOn(db)
    .select({ last: max(executionEvents.id) })
    .from(executionEvents)
    .prepare()
  return (): number => stmt.get()?.last ?? 0
}
