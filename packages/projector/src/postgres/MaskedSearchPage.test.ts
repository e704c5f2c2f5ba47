import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { chunkSize, matchesMasked, pageOfMatches } from "./MaskedSearchPage.js"

describe("pageOfMatches", () => {
  it("gives the same page as filtering every row, for any chunk size, limit and offset, reading no further than needed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { maxLength: 60 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 70 }),
        async (matching, chunk, limit, offset) => {
          const rows = matching.map((m, i) => ({ i, m }))
          let read = 0
          const page = await pageOfMatches<{ readonly i: number; readonly m: boolean }>({
            limit,
            offset,
            chunk,
            fetch: async (after, size) => {
              const from = after === undefined ? 0 : after.i + 1
              const got = rows.slice(from, from + size)
              read = from + got.length
              return got
            },
            matches: (r) => r.m
          })
          const all = rows.filter((r) => r.m)
          expect(page).toEqual(all.slice(offset, offset + limit))
          // It stops at the chunk that fills the page.
          if (limit > 0 && all.length >= offset + limit) {
            const last = all[offset + limit - 1]!.i
            expect(read).toBeLessThanOrEqual(Math.ceil((last + 1) / chunk) * chunk)
          }
        }
      )
    )
  })

  it("asks for at least 100 and at most 1000 rows at once", () => {
    expect(chunkSize(20, 0)).toBe(100)
    expect(chunkSize(200, 300)).toBe(500)
    expect(chunkSize(50, Number.MAX_SAFE_INTEGER)).toBe(1000)
  })
})

describe("matchesMasked", () => {
  it("matches the masked view only, case folded for every letter, and never a null text", () => {
    const secret = matchesMasked("hunter2horse-Db-9")
    expect(secret("read .env (my password is hunter2horse-Db-9)")).toBe(false)
    expect(matchesMasked("hunter2horse")("read .env (my password is hunter2horse-Db-9)")).toBe(false)
    expect(matchesMasked("READ .ENV")("read .env (my password is hunter2horse-Db-9)")).toBe(true)
    expect(matchesMasked("ärger")("Grüße ÄRGER")).toBe(true)
    expect(matchesMasked("100%")("grow 100% now")).toBe(true)
    expect(matchesMasked("100%")("grow 100 now")).toBe(false)
    expect(secret(null)).toBe(false)
  })
})
