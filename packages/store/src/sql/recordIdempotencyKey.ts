/** Records an append's result under its idempotency key, in the append's transaction. */
import type BetterSqlite3 from "better-sqlite3"
import type { IdempotencyRecord } from "./findIdempotencyKey.js"

const SQL = `INSERT INTO idempotency_keys
  (key, execution_id, request_hash, version, first_position, last_position, created_at)
VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`

export const prepareRecordIdempotencyKey = (db: BetterSqlite3.Database) => {
  const stmt = db.prepare<[string, string, string, number, number, number]>(SQL)
  return (key: string, record: IdempotencyRecord): void => {
    stmt.run(key, record.executionId, record.requestHash, record.version, record.firstPosition, record.lastPosition)
  }
}
