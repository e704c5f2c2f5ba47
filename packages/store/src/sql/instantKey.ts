/**
 * A sortable text form of a stored timestamp, so that `since`/`until` filters and "newest first"
 * order compare instants, not text. Canonical timestamps do not sort as text when their fraction
 * digits differ (`…37.250Z` < `…37Z` as text); the key `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn` does.
 *
 * The SQL expression understands what lands in these columns: the canonical form Cratos Core
 * writes (`…Z` with 0, 3, 6 or 9 fraction digits), chrono's `to_rfc3339()` (`…+00:00`, which
 * the Rust program writes) and SQLite's `datetime('now')` (`YYYY-MM-DD HH:MM:SS`). An offset
 * other than UTC is not shifted (the writers of this file all write UTC).
 *
 * Migration 0003 indexes `executions` on `instantKeySql("created_at")`. SQLite uses an expression
 * index only when the query's expression is the same one (a column may be qualified,
 * `instantKeySql("e.created_at")`): build every query's key with this function, and change it only
 * together with a migration that rebuilds those indexes.
 */
import type { Timestamp } from "@cratos/domain"

/** The SQL expression of the key of column (or expression) `x`. */
export const instantKeySql = (x: string): string => {
  const suffix = `(CASE WHEN substr(${x}, -1) IN ('Z', 'z') THEN 1 WHEN substr(${x}, -6, 1) IN ('+', '-') THEN 6 ELSE 0 END)`
  const fraction = `(CASE WHEN substr(${x}, 20, 1) = '.' THEN substr(${x}, 20, length(${x}) - 19 - ${suffix}) ELSE '.' END)`
  return `(substr(${x}, 1, 10) || 'T' || substr(${x}, 12, 8) || substr(${fraction} || '000000000', 1, 10))`
}

/**
 * The same key in PostgreSQL's SQL (`right` for SQLite's negative `substr` offsets; every function
 * immutable, so it can be indexed). The pg migrations index `executions` on
 * `instantKeyPgSql("created_at")`, and the ReadModel's Postgres queries use it the same way.
 */
export const instantKeyPgSql = (x: string): string => {
  const suffix = `(CASE WHEN right(${x}, 1) IN ('Z', 'z') THEN 1 WHEN substr(right(${x}, 6), 1, 1) IN ('+', '-') THEN 6 ELSE 0 END)`
  const fraction = `(CASE WHEN substr(${x}, 20, 1) = '.' THEN substr(${x}, 20, length(${x}) - 19 - ${suffix}) ELSE '.' END)`
  return `(substr(${x}, 1, 10) || 'T' || substr(${x}, 12, 8) || substr(${fraction} || '000000000', 1, 10))`
}

/** The key of a canonical timestamp, as `instantKeySql` computes it in SQL. */
export const instantKey = (t: Timestamp.Timestamp): string => {
  const dot = t.indexOf(".")
  const fraction = dot === -1 ? "" : t.slice(dot + 1, -1)
  return `${t.slice(0, 19)}.${fraction.padEnd(9, "0").slice(0, 9)}`
}
