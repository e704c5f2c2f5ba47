/**
 * The ReadModel's SQL: the statements and the WHERE clause of a list filter, built from the
 * filter's fields (every value a bound parameter), and the row mapping. Internal to the package
 * (not exported by its index); the service is ReadModel.ts.
 */
import { type ExecutionStatus, Timestamp } from "@cratos/domain"
import { instantKey, instantKeySql } from "@cratos/store"
import { Either } from "effect"
import { InvalidQuery } from "./errors.js"
import type { ExecutionRow, InstantInput, ListFilter } from "./ReadModelShape.js"

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 10_000

export interface RawRow {
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

export const toRow = (r: RawRow): ExecutionRow => ({
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

export const ROW_COLUMNS = `e.id, e.user_id, e.channel, e.status, e.created_at, e.completed_at, e.input_text,
  s.event_count, s.goal, s.step_count, s.tools_used, s.tool_calls, s.tool_failures, s.tool_time_ms,
  s.tokens_used, s.model_used, s.approval_pending, s.error_count, s.first_event_at, s.last_event_at`

export const FROM = `FROM executions e LEFT JOIN execution_summaries s ON s.execution_id = e.id`

/** Served by the store's indexes on `instantKeySql("created_at")` (the same expression). */
const CREATED_KEY = instantKeySql("e.created_at")

/** `%`, `_` and the escape character itself match literally (`ESCAPE '\'`). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export const STATUSES: ReadonlyArray<ExecutionStatus> = ["pending", "running", "completed", "failed"]

/** The sortable key of a filter bound, or why the bound is not a timestamp. */
export const boundKey = (field: string, input: InstantInput): Either.Either<string, InvalidQuery> =>
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

/** Which filters are set, and their values (validated, bounds as keys, search as a LIKE pattern). */
export interface ListQueryParts {
  readonly set: {
    readonly user: boolean
    readonly status: boolean
    readonly channel: boolean
    readonly since: boolean
    readonly until: boolean
    readonly search: boolean
    readonly hasFailures: boolean
  }
  readonly values: {
    readonly user?: string
    readonly status?: string
    readonly channel?: string
    readonly since?: string
    readonly until?: string
    readonly search?: string
    readonly limit: number
    readonly offset: number
  }
}

/** A filter checked and turned into the values both dialects bind. */
export const listQueryParts = (filter: ListFilter): Either.Either<ListQueryParts, InvalidQuery> =>
  Either.gen(function* () {
    if (filter.status !== undefined && !STATUSES.includes(filter.status)) {
      return yield* Either.left(
        new InvalidQuery({ field: "status", reason: `expected one of ${STATUSES.join(", ")}, got ${filter.status}` })
      )
    }
    const since = filter.since === undefined ? undefined : yield* boundKey("since", filter.since)
    const until = filter.until === undefined ? undefined : yield* boundKey("until", filter.until)
    const search = filter.search !== undefined && filter.search !== "" ? `%${escapeLike(filter.search)}%` : undefined
    const limit = yield* countOf("limit", filter.limit, DEFAULT_LIMIT, MAX_LIMIT)
    const offset = yield* countOf("offset", filter.offset, 0, Number.MAX_SAFE_INTEGER)
    return {
      set: {
        user: filter.user !== undefined,
        status: filter.status !== undefined,
        channel: filter.channel !== undefined,
        since: since !== undefined,
        until: until !== undefined,
        search: search !== undefined,
        hasFailures: filter.hasFailures === true
      },
      values: {
        ...(filter.user === undefined ? {} : { user: filter.user }),
        ...(filter.status === undefined ? {} : { status: filter.status }),
        ...(filter.channel === undefined ? {} : { channel: filter.channel }),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(search === undefined ? {} : { search }),
        limit,
        offset
      }
    }
  })

/** The WHERE clause and its parameters for a filter (SQLite). */
export const listQuery = (
  filter: ListFilter
): Either.Either<{ readonly sql: string; readonly params: ReadonlyArray<string | number> }, InvalidQuery> =>
  Either.map(listQueryParts(filter), ({ set, values }) => {
    const where: Array<string> = []
    const params: Array<string | number> = []
    if (set.user) {
      where.push("e.user_id = ?")
      params.push(values.user!)
    }
    if (set.status) {
      where.push("e.status = ?")
      params.push(values.status!)
    }
    if (set.channel) {
      where.push("e.channel = ?")
      params.push(values.channel!)
    }
    if (set.since) {
      where.push(`${CREATED_KEY} >= ?`)
      params.push(values.since!)
    }
    if (set.until) {
      where.push(`${CREATED_KEY} <= ?`)
      params.push(values.until!)
    }
    if (set.search) {
      // over masked text only (a row from before encryption holds plaintext): cratos_masked is the
      // store's maskedText, registered on every connection; the plain LIKE first keeps it to candidates
      where.push(`e.input_text LIKE ? ESCAPE '\\' AND cratos_masked(e.input_text) LIKE ? ESCAPE '\\'`)
      params.push(values.search!, values.search!)
    }
    if (set.hasFailures) where.push("e.status = 'completed' AND s.tool_failures > 0")
    params.push(values.limit, values.offset)
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

/**
 * Nearest-rank percentiles per tool, computed in SQL (memory bounded by the number of tools).
 * Parameters in order: `since`, then `user` (the executions of one user), each when asked.
 */
export const TOOL_STATS_SQL = (since: boolean, user = false) => `
WITH ranked AS (
  SELECT tool, success, duration_ms,
         row_number() OVER (PARTITION BY tool ORDER BY duration_ms) AS rn,
         count(*) OVER (PARTITION BY tool) AS n
  FROM tool_calls
  WHERE 1 = 1${since ? ` AND ${instantKeySql("completed_at")} >= ?` : ""}${user ? " AND execution_id IN (SELECT id FROM executions WHERE user_id = ?)" : ""}
)
SELECT tool,
       count(*) AS calls,
       sum(success = 0) AS failures,
       max(CASE WHEN rn = (50 * n + 99) / 100 THEN duration_ms END) AS p50_ms,
       max(CASE WHEN rn = (95 * n + 99) / 100 THEN duration_ms END) AS p95_ms
FROM ranked GROUP BY tool ORDER BY calls DESC, tool`

export const TOKENS_SQL = (since: boolean, user = false) => `
SELECT s.model_used AS model, sum(s.tokens_used) AS tokens, count(*) AS executions
FROM execution_summaries s JOIN executions e ON e.id = s.execution_id
WHERE s.model_used IS NOT NULL ${since ? `AND ${CREATED_KEY} >= ?` : ""} ${user ? "AND e.user_id = ?" : ""}
GROUP BY s.model_used ORDER BY tokens DESC, model`

export const STATUS_SQL = (since: boolean, user = false) =>
  `SELECT e.status AS status, count(*) AS n FROM executions e WHERE 1 = 1${since ? ` AND ${CREATED_KEY} >= ?` : ""}` +
  `${user ? " AND e.user_id = ?" : ""} GROUP BY e.status`
