/** The recorded result of an earlier append made with an idempotency key. */
import type BetterSqlite3 from "better-sqlite3"

export interface IdempotencyRecord {
  readonly executionId: string
  readonly requestHash: string
  readonly version: number
  readonly firstPosition: number
  readonly lastPosition: number
}

const SQL = `SELECT execution_id AS executionId, request_hash AS requestHash, version,
  first_position AS firstPosition, last_position AS lastPosition
FROM idempotency_keys WHERE key = ?`

export const prepareFindIdempotencyKey = (db: BetterSqlite3.Database) => {
  const stmt = db.prepare<[string], IdempotencyRecord>(SQL)
  return (key: string): IdempotencyRecord | undefined => stmt.get(key)
}
