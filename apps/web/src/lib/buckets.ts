/**
 * Executions by status over time, as the chart draws it: the server's counts per UTC hour or day
 * (`/api/v1/stats/series`, every execution in the range) laid on a grid of buckets from the
 * range's start to its end, empty buckets included, labelled in the browser's zone. More than
 * MAX_BARS buckets are merged, k consecutive ones a bar, so every execution stays counted. Pure.
 */
import type { StatusPoint } from "../api/types.js"
import { STATUSES } from "./filters.js"

export interface Buckets {
  readonly labels: ReadonlyArray<string>
  readonly counts: Readonly<Record<(typeof STATUSES)[number], ReadonlyArray<number>>>
}

export type Bucket = "hour" | "day"

const HOUR = 3_600_000
const DAY = 24 * HOUR
export const MAX_BARS = 400

/** Hours over a range of up to two days, days over a longer (or unbounded) one. */
export const bucketFor = (fromMs: number, toMs: number): Bucket =>
  Number.isFinite(fromMs) && toMs - fromMs <= 2 * DAY ? "hour" : "day"

export const gridOfSeries = (
  points: ReadonlyArray<StatusPoint>,
  bucket: Bucket,
  fromMs: number,
  toMs: number
): Buckets => {
  const size = bucket === "hour" ? HOUR : DAY
  const starts = points.map((p) => Date.parse(p.start))
  const start = Number.isFinite(fromMs) ? fromMs : Math.min(toMs, ...starts)
  const first = Math.floor(start / size) * size
  const last = Math.max(toMs, ...starts)
  const buckets = Math.floor((last - first) / size) + 1
  const per = Math.max(1, Math.ceil(buckets / MAX_BARS))
  const n = Math.ceil(buckets / per)
  const counts = Object.fromEntries(STATUSES.map((s) => [s, new Array<number>(n).fill(0)])) as Record<
    (typeof STATUSES)[number],
    Array<number>
  >
  points.forEach((p, i) => {
    const k = Math.floor(Math.floor((starts[i]! - first) / size) / per)
    if (k < 0 || k >= n) return
    for (const s of STATUSES) counts[s][k]! += p[s]
  })
  const format = new Intl.DateTimeFormat(
    undefined,
    bucket === "hour" ? { day: "2-digit", hour: "2-digit" } : { year: "numeric", month: "short", day: "2-digit" }
  )
  const labels = Array.from({ length: n }, (_, k) => format.format(new Date(first + k * per * size)))
  return { labels, counts }
}
