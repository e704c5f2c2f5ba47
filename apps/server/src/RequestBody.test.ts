import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { describeParseError, formatPath, withoutValue } from "./RequestBody.js"

describe("RequestBody", () => {
  it("formats a parse path the way a person reads it", () => {
    expect(formatPath(["events", 2, "timestamp"])).toBe("events[2].timestamp")
    expect(formatPath([])).toBe("")
  })

  it("never repeats the value it was sent", () => {
    const Body = Schema.Struct({ events: Schema.Array(Schema.Struct({ n: Schema.Number })) })
    const result = Schema.decodeUnknownEither(Body)({ events: [{ n: 1 }, { n: "sk-SECRET-VALUE" }] })
    if (result._tag !== "Left") throw new Error("expected a failure")
    const { path, detail } = describeParseError(result.left)
    expect(path).toBe("events[1].n")
    expect(detail).not.toContain("SECRET")
    expect(detail).toContain("events[1].n")
    expect(withoutValue('Expected number, actual "x"')).toBe("Expected number")
  })
})
