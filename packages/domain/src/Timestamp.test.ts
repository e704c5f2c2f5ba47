import { Either, FastCheck as fc, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as Timestamp from "./Timestamp.js"

const parse = (s: string) => Timestamp.parseTimestamp(s)

describe("Timestamp", () => {
  it.each([
    "2025-11-26T10:10:37Z",
    "2025-11-26T10:10:37.250Z",
    "2025-11-26T10:10:37.250123Z",
    "2025-11-26T10:10:36.123456789Z",
    "2024-02-29T23:59:59.999Z"
  ])("keeps the canonical %s unchanged", (s) => {
    expect(parse(s)).toStrictEqual(Either.right(s))
  })

  it.each([
    ["2025-11-26T19:10:37+09:00", "2025-11-26T10:10:37Z"],
    ["2025-11-26T00:10:37.5-01:30", "2025-11-26T01:40:37.500Z"],
    ["2025-11-26t10:10:37z", "2025-11-26T10:10:37Z"],
    ["2025-11-26 10:10:37Z", "2025-11-26T10:10:37Z"],
    ["2025-11-26T10:10:37.250000Z", "2025-11-26T10:10:37.250Z"],
    ["2025-11-26T10:10:37.000000000Z", "2025-11-26T10:10:37Z"],
    ["2025-11-26T10:10:37.1234567891234Z", "2025-11-26T10:10:37.123456789Z"],
    ["2025-01-01T00:30:00+01:00", "2024-12-31T23:30:00Z"]
  ])("normalises %s to %s as chrono does", (input, expected) => {
    expect(parse(input)).toStrictEqual(Either.right(expected))
  })

  it.each([
    "2025-13-01T00:00:00Z",
    "2025-02-29T00:00:00Z",
    "2025-11-26T24:00:00Z",
    "2025-11-26",
    "",
    "2025-11-26T10:10:37"
  ])("rejects %j", (s) => {
    expect(Either.isLeft(parse(s))).toBe(true)
  })

  it("orders by instant, not by text", () => {
    const a = Timestamp.unsafeMake("2025-11-26T10:10:37Z")
    const b = Timestamp.unsafeMake("2025-11-26T10:10:37.250Z")
    expect(a < b).toBe(false) // the text order is wrong here
    expect(Timestamp.compare(a, b)).toBe(-1)
    expect(Timestamp.diffMillis(a, b)).toBe(250)
  })

  it("converts nanoseconds since the epoch both ways without loss", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -62_167_219_200_000_000_000n, max: 253_402_300_799_999_999_999n }), (nanos) => {
        const t = Timestamp.fromEpochNanos(nanos)
        expect(Timestamp.toEpochNanos(t)).toBe(nanos)
        expect(parse(t)).toStrictEqual(Either.right(t))
      })
    )
  })

  it("decodes through the schema with a message naming the problem", () => {
    expect(() => Schema.decodeUnknownSync(Timestamp.Timestamp)("soon")).toThrow(/not an RFC 3339 timestamp/)
  })

  it("makes a timestamp from a Date", () => {
    expect(Timestamp.fromDate(new Date("2025-11-26T10:10:37.250Z"))).toBe("2025-11-26T10:10:37.250Z")
  })
})
