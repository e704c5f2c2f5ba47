/** `projector_dead_letters`: log rows a projection skipped, with why (never the payload). */
import type BetterSqlite3 from "better-sqlite3"

export const prepareDeadLetters = (db: BetterSqlite3.Database) => {
  const record = db.prepare<[string, number, string, string, string]>(
    `INSERT OR REPLACE INTO projector_dead_letters (projection, position, execution_id, error, recorded_at) VALUES (?, ?, ?, ?, ?)`
  )
  const clear = db.prepare<[string]>(`DELETE FROM projector_dead_letters WHERE projection = ?`)
  return {
    record: (projection: string, position: number, executionId: string, error: string, now: string): void => {
      record.run(projection, position, executionId, error, now)
    },
    clear: (projection: string): void => {
      clear.run(projection)
    }
  }
}
