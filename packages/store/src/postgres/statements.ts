/**
 * The PostgreSQL store's statements: Drizzle's typed query builder over the pg-core schema,
 * prepared with a name (`.prepare(name)`: node-postgres parses a named statement once per
 * connection) and `sql.placeholder` values, so a renamed column or table fails to compile. The same
 * operations as `../sql/` on SQLite.
 *
 * `sql` templates, where the builder has no word for it:
 * - `APPEND`, `START_EXECUTION`: a call of the plpgsql functions of migration 0002
 *   (`FROM cratos_append(…)`); the builder selects from tables and subqueries, not functions.
 *   The functions' own SQL is in the migration: a column rename needs a migration replacing them.
 * - `LOCK_LOG`: `pg_advisory_xact_lock`, a function call with no table (`execute`, unprepared; it
 *   is used by `insertEvent` alone, the seed's one-event insert, not by the append path).
 * - `FIND_FINISHED`: `coalesce` (drizzle-orm has no function for it), over the schema's columns.
 *
 * `LOCK_LOG` serializes the transactions that insert events (a transaction-scoped advisory lock,
 * taken just before the first insert and held to the commit). A sequence hands out ids in
 * allocation order, not commit order; with the lock, a transaction allocates its ids only after
 * the previous inserter is committed and visible, so ids become visible in id order and a reader
 * of `id > checkpoint` never passes an id that commits later.
 *
 * The two reads of many rows (`readStream`, `readLog`'s pages) are built by Drizzle the same way
 * and run by node-postgres in array mode (`arrayRead`): drizzle's `.execute()` maps every row
 * through its generic mapper, ~1 µs a row, which cost the log's pages 0.68–0.88 of the raw driver
 * (bench/drizzlePath.ts row L); the statement text and its placeholders are still Drizzle's.
 *
 * Drizzle runs its prepared queries with its own type parsers (int8 as text): every bigint is
 * read through a column of `mode: "number"` or `.mapWith(Number)`. A failed query throws
 * drizzle's `DrizzleQueryError` (its message holds the parameters: event data): `driverError`
 * (PostgresFailure.ts) unwraps it to the server's error before anything reads or prints it.
 */
import { asc, count, eq, fillPlaceholders, gt, inArray, max, sql } from "drizzle-orm"
import type { NodePgDatabase } from "drizzle-orm/node-postgres"
import type pg from "pg"
import { executionEvents } from "../pgSchema/executionEvents.js"
import { executions } from "../pgSchema/executions.js"
import { executionSummaries } from "../pgSchema/executionSummaries.js"
import { idempotencyKeys } from "../pgSchema/idempotencyKeys.js"
import { projectorDeadLetters } from "../pgSchema/projectorDeadLetters.js"
import { toolCalls } from "../pgSchema/toolCalls.js"
import { pruneMarks } from "./pruneMarks.js"

/** Any 64-bit key, the same in every process. */
export const LOG_LOCK_KEY = 7_303_841_002

/** Drizzle over the pool, or over one client inside a transaction. */
export type PgDrizzle = NodePgDatabase<Record<string, never>>

const p = sql.placeholder

/** `cratos_append`'s outcome (migration 0002). */
export type AppendOutcome = "appended" | "deduplicated" | "not_found" | "conflict" | "key_conflict"
/** `cratos_start_execution`'s outcome (migration 0002). */
export type StartOutcome = "started" | "deduplicated" | "exists" | "key_conflict"

/** `cratos_append`'s row: [outcome, version, first_position, last_position]. */
export type AppendRow = [AppendOutcome, number, number, number]
/** `cratos_start_execution`'s row: [outcome, first_position]. */
export type StartRow = [StartOutcome, number]

/** [position, execution_id, user_id, event_data] */
type Event = typeof executionEvents.$inferSelect
export type EventRow = [Event["id"], Event["executionId"], Event["userId"], Event["eventData"]]

/**
 * A read built by Drizzle's builder, run by node-postgres as a named statement in array mode on the
 * pool (its type parsers: bigint as a number), values filled into Drizzle's placeholders.
 */
export const arrayRead = <Row extends Array<unknown>>(
  pool: pg.Pool,
  name: string,
  query: { toSQL(): { sql: string; params: Array<unknown> } }
) => {
  const { sql: text, params } = query.toSQL()
  return async (values: Record<string, unknown>): Promise<Array<Row>> =>
    (await pool.query<Row>({ name, text, values: fillPlaceholders(params, values), rowMode: "array" })).rows
}

/** `cratos_append` (migration 0002): its outcome, the stream's version, the positions written. */
const appendQuery = (d: PgDrizzle) =>
  d
    .select({
      outcome: sql<AppendOutcome>`outcome`,
      version: sql<number>`version`,
      firstPosition: sql<number>`first_position`.mapWith(Number),
      lastPosition: sql<number>`last_position`.mapWith(Number)
    })
    .from(
      sql`cratos_append(${p("executionId")}, ${p("key")}, ${p("hash")}, ${p("expected")}, ${p("types")}::text[], ${p("data")}::text[], ${p("timestamps")}::text[], ${p("now")})`
    )

/** `cratos_start_execution` (migration 0002): its outcome and the MessageReceived's position. */
const startExecutionQuery = (d: PgDrizzle) =>
  d
    .select({
      outcome: sql<StartOutcome>`outcome`,
      firstPosition: sql<number>`first_position`.mapWith(Number)
    })
    .from(
      sql`cratos_start_execution(${p("executionId")}, ${p("userId")}, ${p("channel")}, ${p("inputText")}, ${p("createdAt")}, ${p("key")}, ${p("hash")}, ${p("eventType")}, ${p("eventData")}, ${p("timestamp")}, ${p("now")})`
    )

/**
 * A statement built by Drizzle's builder once, run as a named statement in array mode on whichever
 * client the caller holds (a transaction's): Drizzle's prepared queries are bound to the client
 * they were built on, so a transaction on a pooled client would otherwise build them again.
 * Rows come through the pool's type parsers (bigint as a number).
 */
const clientStatement = <Row extends Array<unknown>>(
  name: string,
  query: { toSQL(): { sql: string; params: Array<unknown> } }
) => {
  const { sql: text, params } = query.toSQL()
  return async (client: pg.ClientBase, values: Record<string, unknown>): Promise<Array<Row>> =>
    (await client.query<Row>({ name, text, values: fillPlaceholders(params, values), rowMode: "array" })).rows
}

/**
 * Import's one-transaction group (PostgresStartWith.ts): `cratos_start_execution` and
 * `cratos_append` for a client inside BEGIN … COMMIT, built once (any drizzle instance: only the
 * text and placeholders are kept). Rows: [outcome, first_position] and [outcome, version,
 * first_position, last_position].
 */
export const prepareGroupStatements = (d: PgDrizzle) => ({
  START_EXECUTION: clientStatement<StartRow>("cratos_group_start_execution", startExecutionQuery(d)),
  APPEND: clientStatement<AppendRow>("cratos_group_append", appendQuery(d))
})

export type GroupStatements = ReturnType<typeof prepareGroupStatements>

/** The statements the store runs on the pool, each prepared once (named, so once per connection). */
export const preparePoolStatements = (d: PgDrizzle, pool: pg.Pool) => {
  const e = executionEvents
  return {
    /**
     * One append in one round trip: see `cratos_append` in migration 0002. Run in array mode
     * (`arrayRead`): drizzle's `.execute()` of the same prepared statement cost W1 (one-event
     * appends) about 20 µs a call in its tracing wrappers and row mapper.
     * Row: [outcome, version, first_position, last_position].
     */
    APPEND: arrayRead<AppendRow>(pool, "cratos_append", appendQuery(d)),

    /** The executions row and the MessageReceived in one round trip: see `cratos_start_execution`. Row: [outcome, first_position]. */
    START_EXECUTION: arrayRead<StartRow>(pool, "cratos_start_execution", startExecutionQuery(d)),

    READ_STREAM: arrayRead<EventRow>(
      pool,
      "cratos_read_stream",
      d
        .select({ id: e.id, executionId: e.executionId, userId: e.userId, eventData: e.eventData })
        .from(e)
        .where(eq(e.executionId, p("executionId")))
        .orderBy(asc(e.id))
    ),

    READ_LOG_PAGE: arrayRead<EventRow>(
      pool,
      "cratos_read_log_page",
      d
        .select({ id: e.id, executionId: e.executionId, userId: e.userId, eventData: e.eventData })
        .from(e)
        .where(gt(e.id, p("after")))
        .orderBy(asc(e.id))
        .limit(p("limit"))
    ),

    STREAM_VERSION: d
      .select({ n: count() })
      .from(e)
      .where(eq(e.executionId, p("executionId")))
      .prepare("cratos_stream_version"),

    LAST_POSITION: d
      .select({ last: max(e.id) })
      .from(e)
      .prepare("cratos_last_position"),

    /** Finished executions with the time they finished (completed_at, else created_at). */
    FIND_FINISHED: d
      .select({
        id: executions.id,
        finishedAt: sql<string>`coalesce(${executions.completedAt}, ${executions.createdAt})`
      })
      .from(executions)
      .where(inArray(executions.status, ["completed", "failed"]))
      .orderBy(asc(executions.createdAt), asc(executions.id))
      .prepare("cratos_find_finished")
  }
}

export type PoolStatements = ReturnType<typeof preparePoolStatements>

/** Takes the log's advisory lock until the transaction ends. */
export const lockLog = (tx: PgDrizzle) => tx.execute(sql`SELECT pg_advisory_xact_lock(${LOG_LOCK_KEY})`)

/**
 * The statements of the store's client-side transactions (`insertEvent`, `pruneExecution`), on
 * drizzle over the transaction's client: built and prepared per transaction (named, so the server
 * parses each once per connection). Neither is on the append path.
 */
export const prepareTransactionStatements = (tx: PgDrizzle) => {
  const id = p("executionId")
  return {
    /** The stream's row, locked: appends to one execution queue here, in every process. */
    LOCK_EXECUTION: tx
      .select({ userId: executions.userId })
      .from(executions)
      .where(eq(executions.id, id))
      .for("update")
      .prepare("cratos_lock_execution"),

    /** One event; its id. */
    INSERT_EVENT: tx
      .insert(executionEvents)
      .values({
        executionId: id,
        userId: p("userId"),
        eventType: p("eventType"),
        eventData: p("eventData"),
        timestamp: p("timestamp")
      })
      .returning({ id: executionEvents.id })
      .prepare("cratos_insert_event"),

    /** The execution's status, its row locked (an append to it waits for the prune). */
    EXECUTION_STATUS: tx
      .select({ status: executions.status })
      .from(executions)
      .where(eq(executions.id, id))
      .for("update")
      .prepare("cratos_execution_status"),

    MARK: tx.insert(pruneMarks).values({ executionId: id }).prepare("cratos_prune_mark"),
    DELETE_EVENTS: tx.delete(executionEvents).where(eq(executionEvents.executionId, id)).prepare("cratos_prune_events"),
    DELETE_DERIVED: [
      tx.delete(executionSummaries).where(eq(executionSummaries.executionId, id)).prepare("cratos_prune_summary"),
      tx.delete(toolCalls).where(eq(toolCalls.executionId, id)).prepare("cratos_prune_tool_calls"),
      tx
        .delete(projectorDeadLetters)
        .where(eq(projectorDeadLetters.executionId, id))
        .prepare("cratos_prune_dead_letters"),
      tx.delete(idempotencyKeys).where(eq(idempotencyKeys.executionId, id)).prepare("cratos_prune_keys")
    ],
    DELETE_EXECUTION: tx.delete(executions).where(eq(executions.id, id)).prepare("cratos_prune_execution"),
    UNMARK: tx.delete(pruneMarks).where(eq(pruneMarks.executionId, id)).prepare("cratos_prune_unmark")
  }
}
