import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { decodeCursor, encodeCursor, nextCursor } from "./ListCursor.js"

const same = (a: string, b: string) => a === b

describe("ListCursor", () => {
  it("round-trips and refuses anything else", () => {
    const c = { t: "2026-01-01T00:00:00Z", n: 2 }
    expect(decodeCursor(encodeCursor(c))).toEqual(Either.right(c))
    expect(Either.isLeft(decodeCursor("nope"))).toBe(true)
  })

  it("counts the rows at the last instant, across pages at one instant", () => {
    const rows = [{ created_at: "b" }, { created_at: "a" }, { created_at: "a" }]
    expect(nextCursor(rows, 3, undefined, same)).toEqual({ t: "a", n: 2 })
    expect(nextCursor(rows, 4, undefined, same)).toBeNull()
    const allA = [{ created_at: "a" }, { created_at: "a" }]
    expect(nextCursor(allA, 2, { t: "a", n: 2 }, same)).toEqual({ t: "a", n: 4 })
  })
})
