/**
 * `projection_checkpoints`: one row per projection: its version and the last log position it has
 * applied. Only the projector writes it, always in the transaction that applied the events.
 */
import type BetterSqlite3 from "better-sqlite3"

export interface CheckpointRow {
  readonly name: string
  readonly version: number
  readonly position: number
}

export const prepareCheckpoints = (db: BetterSqlite3.Database) => {
  const one = db.prepare<[string], CheckpointRow>(
    `SELECT name, version, position FROM projection_checkpoints WHERE name = ?`
  )
  const all = db.prepare<[], CheckpointRow>(`SELECT name, version, position FROM projection_checkpoints ORDER BY name`)
  const put = db.prepare<[string, number, number, string]>(
    `INSERT INTO projection_checkpoints (name, version, position, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, updated_at = excluded.updated_at`
  )
  const advance = db.prepare<[number, string, string]>(
    `UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = ?`
  )
  return {
    get: (name: string): CheckpointRow | undefined => one.get(name),
    all: (): Array<CheckpointRow> => all.all(),
    put: (name: string, version: number, position: number, now: string): void => {
      put.run(name, version, position, now)
    },
    advance: (name: string, position: number, now: string): void => {
      advance.run(position, now, name)
    }
  }
}

export type Checkpoints = ReturnType<typeof prepareCheckpoints>
