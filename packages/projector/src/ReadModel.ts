/**
 * The read side's query service: what the CLI lists, shows and counts. It reads only the tables
 * the projections keep (`executions`, `execution_summaries`, `tool_calls`,
 * `projection_checkpoints`); every value reaches SQL as a bound parameter.
 *
 * Rows are snake_case because the CLI prints them as they are (`--json`).
 */
import { type ExecutionStatus, Timestamp } from "@cratos/domain"
import { Database, ExecutionNotFound, instantKey, instantKeySql, type StorageError } from "@cratos/store"
import type BetterSqlite3 from "better-sqlite3"
import { Context, Effect, Either, Layer } from "effect"
import { InvalidQuery } from "./errors.js"
import { type ProjectorStatus, readLag } from "./ProjectionLag.js"
import { type ProjectionInfo, projectionCatalog } from "./projections/index.js"
import { attempt } from "./sql/attempt.js"

/** One execution as the CLI shows it: the `executions` row and its summary. */
export interface ExecutionRow {
  readonly id: string
  readonly user_id: string
  readonly channel: string
  readonly status: ExecutionStatus
  readonly created_at: string
  readonly completed_at: string | null
  readonly input_text: string
  readonly event_count: number
  readonly goal: string | null
  readonly step_count: number
  readonly tools_used: ReadonlyArray<string>
  readonly tool_calls: number
  readonly tool_failures: number
  readonly tool_time_ms: number
  readonly tokens_used: number
  readonly model_used: string | null
  readonly approval_pending: boolean
  readonly error_count: number
  readonly first_event_at: string | null
  readonly last_event_at: string | null
}

/** A bound of a time filter: a timestamp, or any RFC 3339 text (compared as an instant). */
export type InstantInput = Timestamp.Timestamp | string

export interface ListFilter {
  readonly user?: string | undefined
  readonly status?: ExecutionStatus | undefined
  readonly channel?: string | undefined
  /** Created at or after this instant. */
  readonly since?: InstantInput | undefined
  /** Created at or before this instant. */
  readonly until?: InstantInput | undefined
  /** A substring of `input_text` (case-insensitive for ASCII, as SQLite's LIKE). */
  readonly search?: string | undefined
  /** Default 50; at most 10000. */
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

export interface ToolStats {
  readonly tool: string
  readonly calls: number
  readonly failures: number
  /** Nearest-rank percentiles of `duration_ms`. */
  readonly p50_ms: number
  readonly p95_ms: number
}

export interface ModelTokens {
  readonly model: string
  readonly tokens: number
  readonly executions: number
}

export interface Stats {
  readonly executions_by_status: Readonly<Record<ExecutionStatus, number>>
  readonly tools: ReadonlyArray<ToolStats>
  /** Tokens of each execution are counted under the model of its last plan. */
  readonly tokens_by_model: ReadonlyArray<ModelTokens>
}

export interface ReadModelShape {
  /** Executions matching the filter, newest first (by `created_at` as an instant). */
  readonly list: (filter?: ListFilter) => Effect.Effect<ReadonlyArray<ExecutionRow>, InvalidQuery | StorageError>
  readonly get: (id: string) => Effect.Effect<ExecutionRow, ExecutionNotFound | StorageError>
  /** The newest execution's id (of one user), or null when there is none. */
  readonly latestId: (user?: string) => Effect.Effect<string | null, StorageError>
  /** Counts since an instant (by execution `created_at`, tool call completion time). */
  readonly stats: (options?: { readonly since?: InstantInput | undefined }) => Effect.Effect<Stats, InvalidQuery | StorageError>
  /** How far each projection is behind the log. */
  readonly status: () => Effect.Effect<ProjectorStatus, StorageError>
}

export class ReadModel extends Context.Tag("@cratos/projector/ReadModel")<ReadModel, ReadModelShape>() {
  /** The service on a connection (see `make`). */
  static readonly make = (
    db: BetterSqlite3.Database,
    options: { readonly path?: string; readonly projections?: ReadonlyArray<ProjectionInfo> } = {}
  ): ReadModelShape => make(db, options)
  /** On the shared connection of the store's `Database`. */
  static readonly layer: Layer.Layer<ReadModel, never, Database> = Layer.effect(
    ReadModel,
    Effect.map(Database, (database) => make(database.connection, { path: database.path }))
  )
}

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 10_000

interface RawRow {
  readonly id: string
  readonly user_id: string
  readonly channel: string
  readonly status: string
  readonly created_at: string
  readonly completed_at: string | null
  readonly input_text: string
  readonly event_count: number | null
  readonly goal: string | null
  readonly step_count: number | null
  readonly tools_used: string | null
  readonly tool_calls: number | null
  readonly tool_failures: number | null
  readonly tool_time_ms: number | null
  readonly tokens_used: number | null
  readonly model_used: string | null
  readonly approval_pending: number | null
  readonly error_count: number | null
  readonly first_event_at: string | null
  readonly last_event_at: string | null
}

const parseTools = (text: string | null): ReadonlyArray<string> => {
  if (text === null) return []
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : []
  } catch {
    return []
  }
}

const toRow = (r: RawRow): ExecutionRow => ({
  id: r.id,
  user_id: r.user_id,
  channel: r.channel,
  status: r.status as ExecutionStatus,
  created_at: r.created_at,
  completed_at: r.completed_at,
  input_text: r.input_text,
  event_count: r.event_count ?? 0,
  goal: r.goal,
  step_count: r.step_count ?? 0,
  tools_used: parseTools(r.tools_used),
  tool_calls: r.tool_calls ?? 0,
  tool_failures: r.tool_failures ?? 0,
  tool_time_ms: r.tool_time_ms ?? 0,
  tokens_used: r.tokens_used ?? 0,
  model_used: r.model_used,
  approval_pending: (r.approval_pending ?? 0) !== 0,
  error_count: r.error_count ?? 0,
  first_event_at: r.first_event_at,
  last_event_at: r.last_event_at
})

const ROW_COLUMNS = `e.id, e.user_id, e.channel, e.status, e.created_at, e.completed_at, e.input_text,
  s.event_count, s.goal, s.step_count, s.tools_used, s.tool_calls, s.tool_failures, s.tool_time_ms,
  s.tokens_used, s.model_used, s.approval_pending, s.error_count, s.first_event_at, s.last_event_at`

const FROM = `FROM executions e LEFT JOIN execution_summaries s ON s.execution_id = e.id`

/** Served by the store's indexes on `instantKeySql("created_at")` (the same expression). */
const CREATED_KEY = instantKeySql("e.created_at")

/** `%`, `_` and the escape character itself match literally (`ESCAPE '\'`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`)

const STATUSES: ReadonlyArray<ExecutionStatus> = ["pending", "running", "completed", "failed"]

/** The sortable key of a filter bound, or why the bound is not a timestamp. */
const boundKey = (field: string, input: InstantInput): Either.Either<string, InvalidQuery> =>
  Either.match(Timestamp.parseTimestamp(input), {
    onLeft: (reason) => Either.left(new InvalidQuery({ field, reason })),
    onRight: (t) => Either.right(instantKey(t))
  })

const countOf = (field: string, value: number | undefined, fallback: number, max: number) =>
  value === undefined
    ? Either.right(fallback)
    : Number.isSafeInteger(value) && value >= 0 && value <= max
      ? Either.right(value)
      : Either.left(new InvalidQuery({ field, reason: `expected an integer from 0 to ${max}, got ${value}` }))

/** The WHERE clause and its parameters for a filter. */
export const listQuery = (
  filter: ListFilter
): Either.Either<{ readonly sql: string; readonly params: ReadonlyArray<string | number> }, InvalidQuery> =>
  Either.gen(function* () {
    const where: Array<string> = []
    const params: Array<string | number> = []
    if (filter.user !== undefined) {
      where.push("e.user_id = ?")
      params.push(filter.user)
    }
    if (filter.status !== undefined) {
      if (!STATUSES.includes(filter.status)) {
        return yield* Either.left(
          new InvalidQuery({ field: "status", reason: `expected one of ${STATUSES.join(", ")}, got ${filter.status}` })
        )
      }
      where.push("e.status = ?")
      params.push(filter.status)
    }
    if (filter.channel !== undefined) {
      where.push("e.channel = ?")
      params.push(filter.channel)
    }
    if (filter.since !== undefined) {
      where.push(`${CREATED_KEY} >= ?`)
      params.push(yield* boundKey("since", filter.since))
    }
    if (filter.until !== undefined) {
      where.push(`${CREATED_KEY} <= ?`)
      params.push(yield* boundKey("until", filter.until))
    }
    if (filter.search !== undefined && filter.search !== "") {
      where.push(`e.input_text LIKE ? ESCAPE '\\'`)
      params.push(`%${escapeLike(filter.search)}%`)
    }
    const limit = yield* countOf("limit", filter.limit, DEFAULT_LIMIT, MAX_LIMIT)
    const offset = yield* countOf("offset", filter.offset, 0, Number.MAX_SAFE_INTEGER)
    params.push(limit, offset)
    const sql =
      `SELECT ${ROW_COLUMNS} ${FROM}` +
      (where.length === 0 ? "" : ` WHERE ${where.join(" AND ")}`) +
      ` ORDER BY ${CREATED_KEY} DESC, e.rowid DESC LIMIT ? OFFSET ?`
    return { sql, params }
  })

/** The newest execution's id, of one user (`byUser`: bound as the parameter) or of all. */
export const latestIdSql = (byUser: boolean): string =>
  `SELECT e.id FROM executions e ${byUser ? "WHERE e.user_id = ?" : ""} ` +
  `ORDER BY ${CREATED_KEY} DESC, e.rowid DESC LIMIT 1`

/** Nearest-rank percentiles per tool, computed in SQL (memory bounded by the number of tools). */
const TOOL_STATS_SQL = (since: boolean) => `
WITH ranked AS (
  SELECT tool, success, duration_ms,
         row_number() OVER (PARTITION BY tool ORDER BY duration_ms) AS rn,
         count(*) OVER (PARTITION BY tool) AS n
  FROM tool_calls
  ${since ? `WHERE ${instantKeySql("completed_at")} >= ?` : ""}
)
SELECT tool,
       count(*) AS calls,
       sum(success = 0) AS failures,
       max(CASE WHEN rn = (50 * n + 99) / 100 THEN duration_ms END) AS p50_ms,
       max(CASE WHEN rn = (95 * n + 99) / 100 THEN duration_ms END) AS p95_ms
FROM ranked GROUP BY tool ORDER BY calls DESC, tool`

const TOKENS_SQL = (since: boolean) => `
SELECT s.model_used AS model, sum(s.tokens_used) AS tokens, count(*) AS executions
FROM execution_summaries s JOIN executions e ON e.id = s.execution_id
WHERE s.model_used IS NOT NULL ${since ? `AND ${CREATED_KEY} >= ?` : ""}
GROUP BY s.model_used ORDER BY tokens DESC, model`

const STATUS_SQL = (since: boolean) =>
  `SELECT e.status AS status, count(*) AS n FROM executions e ${since ? `WHERE ${CREATED_KEY} >= ?` : ""} GROUP BY e.status`

/**
 * The service over a connection. Statements are prepared once, on first use (a list's statement
 * depends on which filters are set: one per combination, cached).
 */
export const make = (
  db: BetterSqlite3.Database,
  options: { readonly path?: string; readonly projections?: ReadonlyArray<ProjectionInfo> } = {}
): ReadModelShape => {
  const path = options.path ?? db.name
  const known = options.projections ?? projectionCatalog
  const cache = new Map<string, BetterSqlite3.Statement>()
  const prepared = (sql: string): BetterSqlite3.Statement => {
    let stmt = cache.get(sql)
    if (stmt === undefined) {
      stmt = db.prepare(sql)
      cache.set(sql, stmt)
    }
    return stmt
  }
  const run = <A>(operation: string, f: () => A) => attempt(operation, path, f)

  const list: ReadModelShape["list"] = (filter = {}) =>
    Effect.flatMap(listQuery(filter), ({ sql, params }) =>
      run("ReadModel.list", () => (prepared(sql).all(...params) as Array<RawRow>).map(toRow))
    ).pipe(Effect.withSpan("ReadModel.list"))

  const get: ReadModelShape["get"] = (id) =>
    run("ReadModel.get", () => prepared(`SELECT ${ROW_COLUMNS} ${FROM} WHERE e.id = ?`).get(id) as RawRow | undefined).pipe(
      Effect.flatMap((row) =>
        row === undefined ? Effect.fail(new ExecutionNotFound({ executionId: id })) : Effect.succeed(toRow(row))
      ),
      Effect.withSpan("ReadModel.get", { attributes: { id } })
    )

  const latestId: ReadModelShape["latestId"] = (user) =>
    run("ReadModel.latestId", () => {
      const stmt = prepared(latestIdSql(user !== undefined)).pluck(true)
      const id = (user === undefined ? stmt.get() : stmt.get(user)) as string | undefined
      return id ?? null
    }).pipe(Effect.withSpan("ReadModel.latestId"))

  const stats: ReadModelShape["stats"] = (opts = {}) =>
    Effect.gen(function* () {
      const since = opts.since === undefined ? undefined : yield* boundKey("since", opts.since)
      const params = since === undefined ? [] : [since]
      return yield* run("ReadModel.stats", () => {
        const byStatus: Record<ExecutionStatus, number> = { pending: 0, running: 0, completed: 0, failed: 0 }
        for (const r of prepared(STATUS_SQL(since !== undefined)).all(...params) as Array<{ status: string; n: number }>) {
          if ((STATUSES as ReadonlyArray<string>).includes(r.status)) byStatus[r.status as ExecutionStatus] = r.n
        }
        const tools = prepared(TOOL_STATS_SQL(since !== undefined)).all(...params) as Array<ToolStats>
        const tokens = prepared(TOKENS_SQL(since !== undefined)).all(...params) as Array<ModelTokens>
        return { executions_by_status: byStatus, tools, tokens_by_model: tokens }
      })
    }).pipe(Effect.withSpan("ReadModel.stats"))

  const status: ReadModelShape["status"] = () =>
    run("ReadModel.status", () => readLag(db, known)).pipe(Effect.withSpan("ReadModel.status"))

  return { list, get, latestId, stats, status }
}
