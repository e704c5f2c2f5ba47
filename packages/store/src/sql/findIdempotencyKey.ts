/** The recorded result of an earlier append made with an idempotency key (Drizzle's builder, prepared once). */
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
  return (key: string): IdempotencyRecord | undefined => stmt.get({ key })
}
