import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { StatusPoint } from "../api/types.js"
import { bucketFor, gridOfSeries, MAX_BARS } from "./buckets.js"

const p = (start: string, counts: Partial<Omit<StatusPoint, "start">>): StatusPoint => ({
  start,
  pending: 0,
  running: 0,
  completed: 0,
  failed: 0,
  ...counts
})
const total = (counts: Record<string, ReadonlyArray<number>>) =>
  Object.values(counts).reduce((n, v) => n + v.reduce((a, b) => a + b, 0), 0)

describe("gridOfSeries", () => {
  it("lays the server's hours on the range's grid, empty hours included", () => {
    const grid = gridOfSeries(
      [p("2026-01-01T00:00:00Z", { completed: 1, failed: 1 }), p("2026-01-01T02:00:00Z", { completed: 1 })],
      "hour",
      Date.parse("2026-01-01T00:00:00Z"),
      Date.parse("2026-01-01T03:00:00Z")
    )
    expect(grid.labels).toHaveLength(4)
    expect(grid.counts.completed).toEqual([1, 0, 1, 0])
    expect(grid.counts.failed).toEqual([1, 0, 0, 0])
  })

  it("starts an unbounded range at its first point", () => {
    const grid = gridOfSeries(
      [p("2025-12-30T00:00:00Z", { running: 2 })],
      "day",
      Number.NaN,
      Date.parse("2026-01-01T10:00:00Z")
    )
    expect(grid.counts.running).toEqual([2, 0, 0])
  })

  it("picks hours up to two days and days beyond", () => {
    expect(bucketFor(0, 2 * 86_400_000)).toBe("hour")
    expect(bucketFor(0, 2 * 86_400_000 + 1)).toBe("day")
    expect(bucketFor(Number.NaN, 0)).toBe("day")
  })

  it("counts every execution of the range, in at most MAX_BARS bars", () => {
    const day = 86_400_000
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.nat({ max: 9 }),
        (days, span, n) => {
          const to = Date.UTC(2030, 0, 1)
          const from = to - span * day
          const points = days
            .map((d) => Math.floor(from / day) * day + (d % (span + 1)) * day)
            .filter((t, i, all) => all.indexOf(t) === i)
            .sort((a, b) => a - b)
            .map((t) => p(new Date(t).toISOString().replace(".000Z", "Z"), { completed: n + 1, failed: n }))
          const grid = gridOfSeries(points, "day", from, to)
          expect(grid.labels.length).toBeLessThanOrEqual(MAX_BARS)
          expect(grid.counts.completed).toHaveLength(grid.labels.length)
          expect(total(grid.counts)).toBe(points.length * (2 * n + 1))
        }
      )
    )
  })
})
