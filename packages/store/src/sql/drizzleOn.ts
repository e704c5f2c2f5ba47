/**
 * The Drizzle database over a better-sqlite3 connection, one per connection: every `sql/` operation
 * builds its statements with Drizzle's typed query builder on it and prepares them once
 * (`.prepare()`, values through `sql.placeholder`), so a renamed column or table fails to compile.
 *
 * Drizzle's prepared queries run synchronously on the same connection (inside the caller's
 * `db.transaction(...)`) and throw better-sqlite3's own errors (`code` SQLITE_*), unwrapped: the
 * store's `toStorageError`/`isBusy` read them as before. Reads of many rows use `.values()` (the
 * driver's raw arrays, no per-row mapping); the row types are written from the schema's columns.
 */
import type BetterSqlite3 from "better-sqlite3"
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3"

const byConnection = new WeakMap<BetterSqlite3.Database, BetterSQLite3Database>()

export const drizzleOn = (db: BetterSqlite3.Database): BetterSQLite3Database => {
  let d = byConnection.get(db)
  if (d === undefined) {
    d = drizzle({ client: db })
    byConnection.set(db, d)
  }
  return d
}
