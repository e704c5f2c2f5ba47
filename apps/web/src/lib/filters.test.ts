import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CHANNELS, emptyFilters, type Filters, filtersFromQuery, queryOfFilters, STATUSES } from "./filters.js"
import { bucketByStatus } from "./buckets.js"

const filters = fc.record<Filters>({
  status: fc.constantFrom("", ...STATUSES),
  user: fc.string().map((s) => s.trim()),
  channel: fc.constantFrom("", ...CHANNELS),
  since: fc.constantFrom("", "2026-01-01T00:00:00.000Z"),
  until: fc.constantFrom("", "2026-02-01T12:30:00.000Z"),
  search: fc.string().map((s) => s.trim())
})

describe("filters in the address", () => {
  it("survive a round trip through the query string (a reload)", () => {
    fc.assert(
      fc.property(filters, (f) => {
        const parsed = Object.fromEntries(new URLSearchParams(queryOfFilters(f)))
        expect(filtersFromQuery(parsed)).toEqual(f)
      })
    )
  })
  it("drop unknown statuses and channels and leave empty ones out", () => {
    expect(filtersFromQuery({ status: "bogus", channel: "fax", user: " ann " })).toEqual({
      ...emptyFilters,
      user: "ann"
    })
    expect(queryOfFilters({ ...emptyFilters, status: "failed" })).toBe("status=failed")
  })
})

describe("bucketByStatus", () => {
  it("counts executions per hour over a short range and per day over a long one", () => {
    const rows = [
      { created_at: "2026-01-01T00:10:00Z", status: "completed" },
      { created_at: "2026-01-01T00:50:00Z", status: "failed" },
      { created_at: "2026-01-01T02:00:00Z", status: "completed" }
    ]
    const hourly = bucketByStatus(rows, Date.parse("2026-01-01T00:00:00Z"), Date.parse("2026-01-01T03:00:00Z"))
    expect(hourly.labels).toHaveLength(4)
    expect(hourly.counts.completed).toEqual([1, 0, 1, 0])
    expect(hourly.counts.failed).toEqual([1, 0, 0, 0])
    const daily = bucketByStatus(rows, Date.parse("2025-12-25T00:00:00Z"), Date.parse("2026-01-02T00:00:00Z"))
    expect(daily.labels).toHaveLength(9)
    expect(daily.counts.completed.reduce((a, b) => a + b, 0)).toBe(2)
  })
})
