/**
 * The recorded result of an earlier append made with an idempotency key. Drizzle's builder,
 * prepared once; the row through `.values()` and named here (drizzle's `.get()` maps a row
 * generically, ~1 µs more a call: bench/drizzlePath.ts row K).
 */
import type BetterSqlite3 from "better-sqlite3"
import { eq, sql } from "drizzle-orm"
import { idempotencyKeys as k } from "../schema/idempotencyKeys.js"
import { drizzleOn } from "./drizzleOn.js"

export interface IdempotencyRecord {
  readonly executionId: string
  readonly requestHash: string
  readonly version: number
  readonly firstPosition: number
  readonly lastPosition: number
}

type Key = typeof k.$inferSelect
type KeyRow = [Key["executionId"], Key["requestHash"], Key["version"], Key["firstPosition"], Key["lastPosition"]]

export const prepareFindIdempotencyKey = (db: BetterSqlite3.Database) => {
  const stmt = drizzleOn(db)
    .select({
      executionId: k.executionId,
      requestHash: k.requestHash,
      version: k.version,
      firstPosition: k.firstPosition,
      lastPosition: k.lastPosition
    })
    .from(k)
    .where(eq(k.key, sql.placeholder("key")))
    .prepare()
  return (key: string): IdempotencyRecord | undefined => {
    const row = stmt.values({ key })[0] as KeyRow | undefined
    return row === undefined
      ? undefined
      : { executionId: row[0], requestHash: row[1], version: row[2], firstPosition: row[3], lastPosition: row[4] }
  }
}
