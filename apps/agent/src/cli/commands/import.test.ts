import { encodeEvent } from "@cratos/domain"
import { sample } from "@cratos/domain/testing"
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { parseImportLine } from "./import.js"

const wire = Either.getOrThrow(encodeEvent(sample.message(0)))
const line = (fields: Record<string, unknown>) => JSON.stringify(fields)

describe("parseImportLine", () => {
  it("reads an export line", () => {
    const parsed = parseImportLine(line({ execution_id: "e1", user_id: "u", position: 3, event: wire }))
    expect(Either.getOrThrow(parsed)).toEqual({ executionId: "e1", event: sample.message(0) })
  })

  it.each([
    ["{", /^invalid JSON/],
    ["[]", /^not a JSON object$/],
    [line({ user_id: "u", event: wire }), /^execution_id must be a non-empty string$/],
    [line({ execution_id: "", event: wire }), /^execution_id must be a non-empty string$/],
    [line({ execution_id: "e", user_id: 7, event: wire }), /^user_id must be a string$/],
    [line({ execution_id: "e", position: 0, event: wire }), /^position must be a positive integer$/],
    [line({ execution_id: "e" }), /^event is missing$/],
    [line({ execution_id: "e", event: { type: "Nope" } }), /^event\.type: /],
    [line({ execution_id: "e", event: { ...wire, timestamp: "yesterday" } }), /^event\.timestamp: /],
    ['{"execution_id":"e","position":12345678901234567890,"event":{}}', /cannot be held exactly/]
  ])("refuses %s", (text, reason) => {
    const parsed = parseImportLine(text)
    expect(Either.isLeft(parsed)).toBe(true)
    expect(Either.isLeft(parsed) ? parsed.left : "").toMatch(reason)
  })

  it("never echoes the line's content in its error", () => {
    const secret = "sk-live-0123456789abcdef"
    const parsed = parseImportLine(
      line({ execution_id: "e", event: { type: "ToolInvoked", tool: 1, input: { api_key: secret } } })
    )
    expect(Either.isLeft(parsed) ? parsed.left : "").not.toContain(secret)
  })
})
