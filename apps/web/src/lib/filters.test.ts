import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CHANNELS, emptyFilters, type Filters, filtersFromQuery, queryOfFilters, STATUSES } from "./filters.js"

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
