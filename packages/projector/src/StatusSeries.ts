/**
 * Executions by status over time, counted in SQL: every execution whose start falls in the range
 * (by `created_at` as an instant, the list's own key), grouped per UTC hour or day and per status.
 * Only buckets with at least one execution are returned, oldest first. Pure: the statement and
 * the folding of its rows; the ReadModel runs it.
 *
 * The statement (`seriesQuery` in sql/readModelStatements.ts; PostgreSQL's the same): the bucket's
 * name is `YYYY-MM-DDTHH` or `YYYY-MM-DD`, the first characters of the instant key
 * (`instantKeySql`), taken from the stored text directly (the key's date and hour are the text's,
 * its separator written as `T`), cheaper per row than the whole key. The range is on the key
 * itself (the list's index).
 */
import type { ExecutionStatus } from "@cratos/domain"
import { STATUSES } from "./ReadModelQueries.js"
import type { SeriesBucket, StatusPoint } from "./ReadModelShape.js"

const startOf = (bucket: SeriesBucket, name: string) => (bucket === "hour" ? `${name}:00:00Z` : `${name}T00:00:00Z`)

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
