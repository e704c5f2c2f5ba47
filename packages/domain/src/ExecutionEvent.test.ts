import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { decodeEvent, decodeEventJson, encodeEvent, encodeEventJson, ExecutionEventFromJson } from "./EventCodec.js"
import { eventTypeName, ExecutionEvent } from "./ExecutionEvent.js"

const FIXTURES = new URL("../../../test/fixtures/serde/", import.meta.url)
const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith(".json"))
const cases: ReadonlyArray<{ name: string; event_type: string; text: string; event: unknown }> = readFileSync(
  new URL("cases.jsonl", FIXTURES),
  "utf8"
)
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line))

const decodeOk = (json: unknown) => Either.getOrThrowWith(decodeEvent(json), (e) => new Error(e.message))
const decodeErr = (text: string) =>
  Either.match(decodeEventJson(text), {
    onLeft: (e) => e.message,
    onRight: () => {
      throw new Error("expected a decode error")
    }
  })

const wire = {
  type: "ToolCompleted",
  tool: "x",
  output: { success: true, output: null, error: null },
  output_masked: { success: true, output: null, error: null },
  duration_ms: 1,
  timestamp: "2025-11-26T10:10:37Z"
}

describe("ExecutionEvent wire format", () => {
  it("has the serde fixtures of all eight variants", () => {
    expect(new Set(cases.map((c) => c.event_type)).size).toBe(8)
    expect(fixtureFiles.length).toBe(cases.length)
  })

  it.each(fixtureFiles)("decodes %s and encodes it back to the same JSON value", (file) => {
    const json = JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8"))
    const event = decodeOk(json)
    expect(Either.getOrThrow(encodeEvent(event))).toStrictEqual(json)
  })

  it.each(cases.map((c) => [c.name, c] as const))("writes %s byte for byte as serde does", (_, c) => {
    const event = Either.getOrThrow(decodeEventJson(c.text))
    expect(eventTypeName(event)).toBe(c.event_type)
    expect(Either.getOrThrow(encodeEventJson(event))).toBe(c.text)
    expect(Schema.encodeSync(ExecutionEventFromJson)(event)).toBe(c.text)
  })

  it("keeps nanosecond timestamps", () => {
    const c = cases.find((c) => c.text.includes(".123456789Z"))!
    expect(Either.getOrThrow(encodeEventJson(Either.getOrThrow(decodeEventJson(c.text))))).toContain(".123456789Z")
  })

  it("reads a missing optional field as null, as serde does", () => {
    const { error: _, ...output } = wire.output
    const event = decodeOk({ ...wire, output })
    expect(event.type === "ToolCompleted" && event.output.error).toBeNull()
    const approval = decodeOk({ type: "ApprovalReceived", approved: true, timestamp: "2025-11-26T10:10:37Z" })
    expect(approval).toStrictEqual({
      type: "ApprovalReceived",
      approved: true,
      modified: null,
      timestamp: "2025-11-26T10:10:37Z"
    })
  })

  it("ignores unknown fields, as serde does", () => {
    expect(decodeOk({ ...wire, extra: 1 })).not.toHaveProperty("extra")
  })

  it("normalises a timestamp with an offset to UTC, as chrono does", () => {
    const event = decodeOk({ ...wire, timestamp: "2025-11-26T19:10:37.5+09:00" })
    expect(event.timestamp).toBe("2025-11-26T10:10:37.500Z")
  })

  it("normalises a UUID to lowercase hyphenated, as the uuid crate does", () => {
    const json = JSON.parse(readFileSync(new URL("message_received_plain.json", FIXTURES), "utf8"))
    json.message.id = "5F0E0000000040008000000000000001"
    const event = decodeOk(json)
    expect(event.type === "MessageReceived" && event.message.id).toBe("5f0e0000-0000-4000-8000-000000000001")
  })
})

describe("decoding a bad document", () => {
  it("names the field and the reason", () => {
    expect(decodeErr(JSON.stringify({ ...wire, duration_ms: -1 }))).toMatch(/^duration_ms: .*non-negative/)
    expect(decodeErr(JSON.stringify({ ...wire, output: { success: "yes", output: 1 } }))).toMatch(
      /^output\.success: expected a boolean, got "yes"$/
    )
  })

  it("does not echo the offending value unless it is a short name", () => {
    const message = decodeErr(
      JSON.stringify({
        ...wire,
        tool: { password: "hunter2-secret" },
        duration_ms: "sk-proj-abcdefghijklmnopqrstuvwxyz"
      })
    )
    expect(message).not.toContain("hunter2")
    expect(decodeErr(JSON.stringify({ ...wire, duration_ms: "sk-proj-abcdefghijklmnopqrstuvwxyz" }))).toBe(
      "duration_ms: expected a number, got a string of 34 characters"
    )
  })

  it("names an unknown variant", () => {
    expect(decodeErr(JSON.stringify({ ...wire, type: "ToolExploded" }))).toMatch(/^type: .*"ToolExploded"/)
  })

  it("names a missing required field", () => {
    const { tool: _, ...rest } = wire
    expect(decodeErr(JSON.stringify(rest))).toMatch(/^tool: is missing/)
  })

  it("rejects an integer JavaScript would round instead of rounding it", () => {
    expect(decodeErr(JSON.stringify(wire).replace('"duration_ms":1', '"duration_ms":18446744073709551615'))).toMatch(
      /cannot be held exactly/
    )
    expect(
      decodeErr(
        JSON.stringify({ ...wire, output: { ...wire.output, output: 1 } }).replace(
          ':1,"error"',
          ':9007199254740993,"error"'
        )
      )
    ).toMatch(/9007199254740993 cannot be held exactly/)
  })

  it("accepts the largest exact integers and u32's maximum", () => {
    expect(decodeEventJson(JSON.stringify({ ...wire, duration_ms: Number.MAX_SAFE_INTEGER }))._tag).toBe("Right")
    const tooManyTokens = cases.find((c) => c.name === "plan_generated")!.text.replace("4294967295", "4294967296")
    expect(decodeErr(tooManyTokens)).toMatch(/^tokens_used: /)
  })

  it("rejects a lone surrogate, which serde cannot read", () => {
    expect(decodeErr(JSON.stringify({ ...wire, tool: "a\\ud800b" }).replace("\\\\ud800", "\\ud800"))).toMatch(
      /surrogate/
    )
  })

  it("does not mistake an escaped backslash for a surrogate", () => {
    expect(decodeEventJson(JSON.stringify({ ...wire, tool: "C:\\ud800" }))._tag).toBe("Right")
  })

  it("rejects text that is not JSON", () => {
    expect(decodeErr("{not json")).toMatch(/^invalid JSON/)
  })

  it("rejects a timestamp that is not RFC 3339", () => {
    expect(decodeErr(JSON.stringify({ ...wire, timestamp: "yesterday" }))).toMatch(/^timestamp: not an RFC 3339/)
    expect(decodeErr(JSON.stringify({ ...wire, timestamp: "2025-02-30T00:00:00Z" }))).toMatch(/day out of range/)
  })
})

describe("encoding", () => {
  it("refuses a lone surrogate instead of writing JSON serde cannot read", () => {
    const event = decodeOk(wire)
    const bad = { ...event, tool: "x\ud800" } as ExecutionEvent
    expect(Either.isLeft(encodeEventJson(bad))).toBe(true)
  })

  it("refuses a value that has no JSON form", () => {
    const event = decodeOk({ ...wire, type: "ToolInvoked", input: 1, input_masked: 1 })
    const bad = { ...event, input: { n: 1n } } as ExecutionEvent
    expect(Either.getOrThrowWith(Either.flip(encodeEventJson(bad)), () => new Error()).message).toMatch(
      /not serializable/
    )
  })
})

describe("round trip laws", () => {
  const arb = Arbitrary.make(ExecutionEvent)

  it("decode(encode(x)) = x for generated events", () => {
    fc.assert(
      fc.property(arb, (event) => {
        const text = Either.getOrThrow(encodeEventJson(event))
        expect(Either.getOrThrow(decodeEventJson(text))).toStrictEqual(event)
      }),
      { numRuns: 300 }
    )
  })

  it("encode(decode(text)) = text for text written by encode", () => {
    fc.assert(
      fc.property(arb, (event) => {
        const text = Either.getOrThrow(encodeEventJson(event))
        expect(Either.getOrThrow(encodeEventJson(Either.getOrThrow(decodeEventJson(text))))).toBe(text)
      }),
      { numRuns: 300 }
    )
  })
})
