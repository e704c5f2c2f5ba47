/**
 * What both dialects' ReadModels share: a list filter checked and turned into the values their
 * prepared statements bind (which filters are set picks the statement), and the row mapping.
 * Internal to the package (not exported by its index); the service is ReadModel.ts, its SQLite
 * statements sql/readModelStatements.ts, PostgreSQL's postgres/PostgresReadModel.ts.
 */
import { type ExecutionStatus, Timestamp } from "@cratos/domain"
import { instantKey } from "@cratos/store"
import { Effect, Either } from "effect"
import { InvalidQuery } from "./errors.js"
import type { ExecutionRow, InstantInput, ListFilter } from "./ReadModelShape.js"

export const DEFAULT_LIMIT = 50
export const MAX_LIMIT = 10_000

const parseTools = (text: string | null): ReadonlyArray<string> => {
  if (text === null) return []
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === "string") : []
  } catch {
    return []
  }
}

/**
 * An ExecutionRow's columns as the driver's array (`.values()`, array mode), in this order: the
 * statements select them so (`ROW` in sql/readModelStatements.ts and postgres/PostgresReadModel.ts).
 * The summary's columns are null when the execution has no summary yet (a left join).
 */
export type RowValues = readonly [
  id: string,
  user_id: string,
  channel: string,
  status: string,
  created_at: string,
  completed_at: string | null,
  input_text: string,
  event_count: number | null,
  goal: string | null,
  step_count: number | null,
  tools_used: string | null,
  tool_calls: number | null,
  tool_failures: number | null,
  tool_time_ms: number | null,
  tokens_used: number | null,
  model_used: string | null,
  approval_pending: number | null,
  error_count: number | null,
  first_event_at: string | null,
  last_event_at: string | null
]

/** The row of `RowValues`, as the app uses it. */
export const rowOf = (r: RowValues): ExecutionRow => ({
  id: r[0],
  user_id: r[1],
  channel: r[2],
  status: r[3] as ExecutionStatus,
  created_at: r[4],
  completed_at: r[5],
  input_text: r[6],
  event_count: r[7] ?? 0,
  goal: r[8],
  step_count: r[9] ?? 0,
  tools_used: parseTools(r[10]),
  tool_calls: r[11] ?? 0,
  tool_failures: r[12] ?? 0,
  tool_time_ms: r[13] ?? 0,
  tokens_used: r[14] ?? 0,
  model_used: r[15],
  approval_pending: (r[16] ?? 0) !== 0,
  error_count: r[17] ?? 0,
  first_event_at: r[18],
  last_event_at: r[19]
})

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

/**
 * The span of a ReadModel call, without the stack trace Effect captures by default (a `new Error()`
 * per call, a third of `get`'s time on SQLite: bench/drizzlePath.ts, rows RM; the name says where).
 */
export const readModelSpan = (name: string, attributes?: Record<string, unknown>) =>
  Effect.withSpan(name, { ...(attributes === undefined ? {} : { attributes }), captureStackTrace: false })
