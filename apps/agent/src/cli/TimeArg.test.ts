import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { parseTimeArg, resolveSince, resolveUntil, type TimeArg } from "./TimeArg.js"

const NOW = new Date("2025-11-26T12:00:00Z")
const parsed = (raw: string): TimeArg => Either.getOrThrowWith(parseTimeArg(raw), (e) => new Error(e))

describe("parseTimeArg", () => {
  it("reads RFC 3339 times, normalised as chrono writes them", () => {
    expect(resolveSince(parsed("2025-11-26T10:00:00Z"), NOW)).toBe("2025-11-26T10:00:00Z")
    expect(resolveSince(parsed("2025-11-26T12:00:00.250+02:00"), NOW)).toBe("2025-11-26T10:00:00.250Z")
    expect(resolveSince(parsed("2025-11-26T10:00:00.123456789Z"), NOW)).toBe("2025-11-26T10:00:00.123456789Z")
  })

  it("reads a UTC date as a whole day: since its first instant, until its last nanosecond", () => {
    expect(resolveSince(parsed("2025-11-26"), NOW)).toBe("2025-11-26T00:00:00Z")
    expect(resolveUntil(parsed("2025-11-26"), NOW)).toBe("2025-11-26T23:59:59.999999999Z")
    expect(resolveUntil(parsed("2024-02-29"), NOW)).toBe("2024-02-29T23:59:59.999999999Z")
  })

  it("reads times ago in seconds, minutes, hours, days and weeks", () => {
    expect(resolveSince(parsed("90s"), NOW)).toBe("2025-11-26T11:58:30Z")
    expect(resolveSince(parsed("30m"), NOW)).toBe("2025-11-26T11:30:00Z")
    expect(resolveSince(parsed("12h"), NOW)).toBe("2025-11-26T00:00:00Z")
    expect(resolveSince(parsed("7d"), NOW)).toBe("2025-11-19T12:00:00Z")
    expect(resolveSince(parsed("2w"), NOW)).toBe("2025-11-12T12:00:00Z")
    expect(resolveUntil(parsed("1d"), NOW)).toBe("2025-11-25T12:00:00Z")
  })

  it.each([
    "",
    "yesterday",
    "7",
    "7x",
    "-7d",
    "2025-13-01",
    "2025-02-30",
    "2025-11-26T25:00:00Z",
    "2025/11/26",
    "1.5d"
  ])("refuses %j with a message naming the accepted forms or the bad date", (raw) => {
    const result = parseTimeArg(raw)
    expect(Either.isLeft(result)).toBe(true)
    expect(Either.getLeft(result).pipe((o) => (o._tag === "Some" ? o.value : ""))).toMatch(/RFC 3339|no such date/)
  })
})
