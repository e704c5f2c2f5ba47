/**
 * Records an append's result under its idempotency key, in the append's transaction. Drizzle's
 * builder, prepared once; `created_at` is a `sql` template (SQLite's clock in the canonical
 * spelling: a database function, which the builder has no name for).
 */
import type BetterSqlite3 from "better-sqlite3"
import { sql } from "drizzle-orm"
import { idempotencyKeys as k } from "../schema/idempotencyKeys.js"
import { drizzleOn } from "./drizzleOn.js"
import type { IdempotencyRecord } from "./findIdempotencyKey.js"

export const prepareRecordIdempotencyKey = (db: BetterSqlite3.Database) => {
  const stmt = drizzleOn(db)
    .insert(k)
    .values({
      key: sql.placeholder("key"),
      executionId: sql.placeholder("executionId"),
      requestHash: sql.placeholder("requestHash"),
      version: sql.placeholder("version"),
      firstPosition: sql.placeholder("firstPosition"),
      lastPosition: sql.placeholder("lastPosition"),
      createdAt: sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`
    })
    .prepare()
  return (key: string, record: IdempotencyRecord): void => {
    stmt.run({
      key,
      executionId: record.executionId,
      requestHash: record.requestHash,
      version: record.version,
      firstPosition: record.firstPosition,
      lastPosition: record.lastPosition
    })
  }
}
