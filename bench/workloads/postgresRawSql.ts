/**
 * The raw `pg` ceiling's SQL: the PostgreSQL store's statements as hand-written, named query configs
 * on the driver (what `packages/store/src/postgres/statements.ts` held before the store went through
 * Drizzle's builder), so the benchmarks compare the store's Drizzle path with the raw driver in the
 * same run. The same text as the builder's up to quoting; `INSERT_EVENTS` is the steps mode's
 * several-event insert.
 */
import { LOG_LOCK_KEY } from "@cratos/store/postgres"
import type pg from "pg"

const named =
  (name: string, text: string) =>
  (values: Array<unknown>): pg.QueryConfig => ({ name, text, values })

export const LOCK_LOG = named("raw_lock_log", `SELECT pg_advisory_xact_lock(${LOG_LOCK_KEY})`)

/** The stream's row, locked: appends to one execution queue here, in every process. */
export const LOCK_EXECUTION = named("raw_lock_execution", `SELECT user_id FROM executions WHERE id = $1 FOR UPDATE`)

export const STREAM_VERSION = named(
  "raw_stream_version",
  `SELECT count(*) AS n FROM execution_events WHERE execution_id = $1`
)

/** Several events in one statement, ids allocated in the array's order. */
export const INSERT_EVENTS = named(
  "raw_insert_events",
  `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
SELECT $1, $2, u.t, u.d, u.ts FROM unnest($3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(t, d, ts, n)
ORDER BY u.n RETURNING id`
)

export const READ_STREAM = named(
  "raw_read_stream",
  `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE execution_id = $1 ORDER BY id`
)

export const READ_LOG_PAGE = named(
  "raw_read_log_page",
  `SELECT id, execution_id, user_id, event_data FROM execution_events WHERE id > $1 ORDER BY id LIMIT $2`
)

export const LAST_POSITION = named("raw_last_position", `SELECT COALESCE(max(id), 0) AS n FROM execution_events`)

export const EXECUTION_STATUS = named("raw_execution_status", `SELECT status FROM executions WHERE id = $1 FOR UPDATE`)

/** One append in one round trip (migration 0002's function): see `cratos_append` there. */
export const APPEND = named(
  "raw_append",
  `SELECT outcome, version, first_position, last_position FROM cratos_append($1, $2, $3, $4, $5::text[], $6::text[], $7::text[], $8)`
)

/** The executions row and the MessageReceived in one round trip: see `cratos_start_execution`. */
export const START_EXECUTION = named(
  "raw_start_execution",
  `SELECT outcome, first_position FROM cratos_start_execution($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
)
