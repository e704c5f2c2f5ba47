/**
 * `GET /api/v1/stats/series`: executions by status over time, counted by the server over the
 * whole read model (every execution in the range, not a page of the list), per UTC hour or day.
 */
import { Timestamp } from "@cratos/domain"
import { Schema } from "effect"

const Count = Schema.Int.pipe(Schema.nonNegative())

export const SeriesBucket = Schema.Literal("hour", "day")
export type SeriesBucket = typeof SeriesBucket.Type

export const StatusSeriesQuery = Schema.Struct({
  since: Schema.optional(Timestamp.Timestamp),
  until: Schema.optional(Timestamp.Timestamp),
  /** Default `day`. */
  bucket: Schema.optional(SeriesBucket)
})

/** One bucket: its start (RFC 3339 UTC) and how many executions of each status started in it. */
export const StatusPoint = Schema.Struct({
  start: Schema.String,
  pending: Count,
  running: Count,
  completed: Count,
  failed: Count
}).annotations({ identifier: "StatusPoint" })
export type StatusPoint = typeof StatusPoint.Type

/** Only buckets with an execution are listed, oldest first. */
export const StatusSeries = Schema.Struct({
  since: Schema.NullOr(Schema.String),
  until: Schema.NullOr(Schema.String),
  bucket: SeriesBucket,
  points: Schema.Array(StatusPoint)
}).annotations({ identifier: "StatusSeries" })
export type StatusSeries = typeof StatusSeries.Type
