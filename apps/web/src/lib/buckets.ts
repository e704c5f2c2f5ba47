/**
 * Executions by status over time: rows bucketed by their start, per hour for a range up to two
 * days, else per day (UTC bucket edges, labelled in the browser's zone). Pure.
 */
import { STATUSES } from "./filters.js"

export interface Buckets {
  readonly labels: ReadonlyArray<string>
  readonly counts: Readonly<Record<(typeof STATUSES)[number], ReadonlyArray<number>>>
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

export const bucketByStatus = (
  rows: ReadonlyArray<{ readonly created_at: string; readonly status: string }>,
  fromMs: number,
  toMs: number
): Buckets => {
  const times = rows.map((r) => Date.parse(r.created_at)).filter((t) => !Number.isNaN(t))
  const start = Number.isFinite(fromMs) ? fromMs : Math.min(toMs, ...times)
  const size = toMs - start <= 2 * DAY ? HOUR : DAY
  const first = Math.floor(start / size) * size
  const n = Math.max(1, Math.min(400, Math.floor((toMs - first) / size) + 1))
  const counts = Object.fromEntries(STATUSES.map((s) => [s, new Array<number>(n).fill(0)])) as Record<
    string,
    Array<number>
  >
  for (const r of rows) {
    const t = Date.parse(r.created_at)
    if (Number.isNaN(t)) continue
    const k = Math.floor((t - first) / size)
    if (k >= 0 && k < n && counts[r.status] !== undefined) counts[r.status]![k]! += 1
  }
  const format = new Intl.DateTimeFormat(
    undefined,
    size === HOUR ? { day: "2-digit", hour: "2-digit" } : { month: "short", day: "2-digit" }
  )
  const labels = Array.from({ length: n }, (_, k) => format.format(new Date(first + k * size)))
  return { labels, counts: counts as unknown as Buckets["counts"] }
}
