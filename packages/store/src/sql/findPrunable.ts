/**
 * Finished executions with the time they finished (completed_at, else created_at), through
 * Drizzle's builder, prepared once; `.values()` gives the driver's arrays. `coalesce` is a `sql`
 * template over the schema's columns: drizzle-orm has no coalesce function.
 */
import type BetterSqlite3 from "better-sqlite3"
import { asc, inArray, sql } from "drizzle-orm"
import { executions as x } from "../schema/executions.js"
import { drizzleOn } from "./drizzleOn.js"

type Row = typeof x.$inferSelect
/** [id, finished_at] */
export type FinishedRow = [Row["id"], Row["createdAt"]]

export const prepareFindFinished = (db: BetterSqlite3.Database) => {
  const stmt = drizzleOn(db)
    .select({ id: x.id, finishedAt: sql<string>`coalesce(${x.completedAt}, ${x.createdAt})` })
    .from(x)
    .where(inArray(x.status, ["completed", "failed"]))
    .orderBy(asc(x.createdAt), asc(x.id))
    .prepare()
  return (): Array<FinishedRow> => stmt.values() as Array<FinishedRow>
}
