import { Timestamp, type ToolInvoked } from "@cratos/domain"
import { describe, expect, it } from "@effect/vitest"
import { InvalidEvent } from "./errors.js"
import { corruptionReason, decodeRow, encodeForStore, requestHash } from "./EventEncoding.js"

const event = (input: unknown): ToolInvoked => ({
  type: "ToolInvoked",
  tool: "t",
  input,
  input_masked: input,
  timestamp: Timestamp.unsafeMake("2025-11-26T10:10:37.250+00:00")
})

describe("encodeForStore", () => {
  it("gives the wire text, the variant name and the canonical timestamp", () => {
    expect(encodeForStore("e", 0, event(1), 1000)).toEqual({
      eventType: "ToolInvoked",
      eventData: '{"type":"ToolInvoked","tool":"t","input":1,"input_masked":1,"timestamp":"2025-11-26T10:10:37.250Z"}',
      timestamp: "2025-11-26T10:10:37.250Z"
    })
  })
  it("counts the cap in UTF-8 bytes", () => {
    // input and input_masked: 20 characters of 2 bytes each.
    const size = (encodeForStore("e", 0, event(""), 1 << 20) as { eventData: string }).eventData.length
    expect(encodeForStore("e", 0, event("é".repeat(10)), size + 40)).not.toBeInstanceOf(InvalidEvent)
    expect(encodeForStore("e", 0, event("é".repeat(10)), size + 39)).toBeInstanceOf(InvalidEvent)
  })
  it("names the event and why it cannot be stored", () => {
    expect(encodeForStore("e", 3, event("\uDC00"), 1000)).toMatchObject({
      _tag: "InvalidEvent",
      executionId: "e",
      index: 3
    })
  })
})

describe("requestHash", () => {
  it("differs by operation, execution and events", () => {
    const a = { eventType: "X", eventData: "{}", timestamp: "t" }
    const h = requestHash("append", "e", [a])
    expect(requestHash("append", "e", [a])).toBe(h)
    expect(requestHash("start", "e", [a])).not.toBe(h)
    expect(requestHash("append", "f", [a])).not.toBe(h)
    expect(requestHash("append", "e", [a, a])).not.toBe(h)
  })
})

describe("decodeRow and corruptionReason", () => {
  it("does not echo the row's text", () => {
    const r = decodeRow(7, "e", "u", '[1,]"token-abc"')
    expect(r).toMatchObject({ _tag: "CorruptEvent", position: 7, executionId: "e" })
    expect((r as { reason: string }).reason).not.toContain("token-abc")
    expect(corruptionReason(`Unexpected token ']', "[1,]x" is not valid JSON`)).toBe(
      "Unexpected token ']' (not valid JSON)"
    )
  })
})
