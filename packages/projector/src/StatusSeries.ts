/**
 * Executions by status over time, counted in SQL: every execution whose start falls in the range
 * (by `created_at` as an instant, the list's own key), grouped per UTC hour or day and per status.
 * Only buckets with at least one execution are returned, oldest first. Pure: the statement and
 * the folding of its rows; the ReadModel runs it.
 */
import type { ExecutionStatus } from "@cratos/domain"
import { instantKeySql } from "@cratos/store"
import { Either } from "effect"
import type { InvalidQuery } from "./errors.js"
import { boundKey, STATUSES } from "./ReadModelQueries.js"
import type { SeriesBucket, StatusPoint, StatusSeriesOptions } from "./ReadModelShape.js"

const KEY = instantKeySql("e.created_at")

/**
 * The statement. The bucket's name is `YYYY-MM-DDTHH` or `YYYY-MM-DD`: the first characters of the
 * instant key (`instantKeySql`), taken from the stored text directly (the key's date and hour are
 * the text's, its separator written as `T`), cheaper per row than the whole key. The range is on
 * the key itself (the list's index).
 */
export const SERIES_SQL = (hour: boolean, since: boolean, until: boolean, user = false) =>
  `SELECT substr(e.created_at, 1, 10)${hour ? " || 'T' || substr(e.created_at, 12, 2)" : ""} AS bucket, ` +
  `e.status AS status, count(*) AS n FROM executions e WHERE 1 = 1` +
  `${since ? ` AND ${KEY} >= ?` : ""}${until ? ` AND ${KEY} <= ?` : ""}${user ? " AND e.user_id = ?" : ""}` +
  ` GROUP BY bucket, e.status ORDER BY bucket`

const startOf = (bucket: SeriesBucket, name: string) => (bucket === "hour" ? `${name}:00:00Z` : `${name}T00:00:00Z`)

export const statusSeriesQuery = (
  options: StatusSeriesOptions
): Either.Either<{ readonly sql: string; readonly params: ReadonlyArray<string> }, InvalidQuery> =>
  Either.gen(function* () {
    const params: Array<string> = []
    if (options.since !== undefined) params.push(yield* boundKey("since", options.since))
    if (options.until !== undefined) params.push(yield* boundKey("until", options.until))
    if (options.user !== undefined) params.push(options.user)
    const sql = SERIES_SQL(
      options.bucket === "hour",
      options.since !== undefined,
      options.until !== undefined,
      options.user !== undefined
    )
    return { sql, params }
  })

/** The statement's rows (ordered by bucket) as points; a status outside the domain's is not counted. */
export const foldStatusSeries = (
  bucket: SeriesBucket,
  rows: ReadonlyArray<{ readonly bucket: string; readonly status: string; readonly n: number }>
): ReadonlyArray<StatusPoint> => {
  const points: Array<{ start: string } & Record<ExecutionStatus, number>> = []
  let last: string | undefined
  for (const r of rows) {
    if (r.bucket !== last) {
      points.push({ start: startOf(bucket, r.bucket), pending: 0, running: 0, completed: 0, failed: 0 })
      last = r.bucket
    }
    if ((STATUSES as ReadonlyArray<string>).includes(r.status))
      points[points.length - 1]![r.status as ExecutionStatus] += r.n
  }
  return points
}
