/**
 * The PostgreSQL store's statements, named (node-postgres prepares a named statement once per
 * connection). The same operations as `../sql/` on SQLite, one constant each.
 *
 * `LOCK_LOG` serializes the transactions that insert events (a transaction-scoped advisory lock,
 * taken just before the first insert and held to the commit). A sequence hands out ids in
 * allocation order, not commit order; with the lock, a transaction allocates its ids only after
 * the previous inserter is committed and visible, so ids become visible in id order and a reader
 * of `id > checkpoint` never passes an id that commits later.
 */
import type pg from "pg"

/** Any 64-bit key, the same in every process. */
export const LOG_LOCK_KEY = 7_303_841_002

const named =
  (name: string, text: string) =>
  (values: Array<unknown>): pg.QueryConfig => ({ name, text, values })

export const LOCK_LOG = named("cratos_lock_log", `SELECT pg_advisory_xact_lock(${LOG_LOCK_KEY})`)

/** The stream's row, locked: appends to one execution queue here, in every process. */
export const LOCK_EXECUTION = named("cratos_lock_execution", `SELECT user_id FROM executions WHERE id = $1 FOR UPDATE`)

export const STREAM_VERSION = named(
  "cratos_stream_version",
  `SELECT count(*) AS n FROM execution_events WHERE execution_id = $1`
)

/** Several events in one statement, ids allocated in the array's order. */
export const INSERT_EVENTS = named(
  "cratos_insert_events",
  `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
SELECT $1, $2, u.t, u.d, u.ts FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(t, d, ts, n)
ORDER BY u.n RETURNING id`
)

export const READ_STREAM = named(
  "cratos_read_stream",
  `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE execution_id = $1 ORDER BY id`
)

export const READ_LOG_PAGE = named(
  "cratos_read_log_page",
  `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE id > $1 ORDER BY id LIMIT $2`
)

export const LAST_POSITION = named("cratos_last_position", `SELECT COALESCE(max(id), 0) AS n FROM execution_events`)

export const EXECUTION_STATUS = named(
  "cratos_execution_status",
  `SELECT status FROM executions WHERE id = $1 FOR UPDATE`
)

/** One append in one round trip (migration 0002's function): see `cratos_append` there. */
export const APPEND = named(
  "cratos_append",
  `SELECT outcome, version, first_position, last_position FROM cratos_append($1, $2, $3, $4, $5::text[], $6::text[], $7::text[], $8)`
)

/** The executions row and the MessageReceived in one round trip: see `cratos_start_execution`. */
export const START_EXECUTION = named(
  "cratos_start_execution",
  `SELECT outcome, first_position FROM cratos_start_execution($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
)
