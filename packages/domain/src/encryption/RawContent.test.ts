import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, FastCheck as fc } from "effect"
import { at } from "../testing.js"
import * as Events from "../Events.js"
import { ExecutionEvent } from "../ExecutionEvent.js"
import { ENCRYPTED_PLACEHOLDER } from "./ContentEnvelope.js"
import {
  mapRawContent,
  maskedTextOf,
  maskRawContent,
  maskRawValue,
  maskStoredContent,
  rawValues
} from "./RawContent.js"

const SECRET = "ghp_R8kP2mX7nQ4vL9tB3wY6zH1jD5fC0aS2eU7Q"

const plan: ExecutionEvent = Events.planGenerated({
  plan: {
    goal: `push with token ${SECRET}`,
    steps: [
      { description: "say it", tool: "shell", input: { cmd: `echo ${SECRET}`, token: "x" }, depends_on: [] },
      { description: `then ${SECRET}`, tool: "file_read", input: "notes.md", depends_on: [0] }
    ],
    estimated_risk: "Read",
    requires_approval: false
  },
  model_used: "m",
  tokens_used: 3,
  timestamp: at(1)
})

describe("raw content", () => {
  it("names a plan's goal and each step's description and input as raw, with no masked copy in the event", () => {
    const seen: Array<[string, boolean]> = []
    mapRawContent(plan, (value, path, copied) => {
      seen.push([path, copied])
      return value
    })
    expect(seen).toEqual([
      ["plan.goal", false],
      ["plan.steps.0.description", false],
      ["plan.steps.0.input", false],
      ["plan.steps.1.description", false],
      ["plan.steps.1.input", false]
    ])
    const tool = Events.toolInvoked({ tool: "shell", input: { cmd: "ls" }, timestamp: at(2) })
    const copied: Array<boolean> = []
    mapRawContent(tool, (value, _path, isCopied) => {
      copied.push(isCopied)
      return value
    })
    expect(copied).toEqual([true])
  })

  it("masks a plan's goal, step text and step input in the masked view (no secret left, structure kept)", () => {
    const masked = maskRawContent(plan)
    expect(JSON.stringify(masked)).not.toContain(SECRET)
    if (masked.type !== "PlanGenerated") throw new Error("unreachable")
    expect(masked.plan.steps.map((s) => s.tool)).toEqual(["shell", "file_read"])
    expect(masked.plan.steps[0]!.input).toEqual(maskRawValue({ cmd: `echo ${SECRET}`, token: "x" }))
    expect(masked.plan.steps[1]!.input).toBe("notes.md")
  })

  it("reads a stored value's masked view without a key: v2's masked copy, plaintext masked, v1 [encrypted]", () => {
    expect(maskedTextOf('cratos:enc:v2:k:AAAA:"push with token ***"')).toBe("push with token ***")
    expect(maskedTextOf('cratos:enc:v2:k:AAAA:{"a":1}')).toBe('{"a":1}')
    expect(maskedTextOf(`push with token ${SECRET}`)).toBe(maskRawValue(`push with token ${SECRET}`))
    expect(maskedTextOf(`push with token ${SECRET}`)).not.toContain(SECRET)
    expect(maskedTextOf("cratos:enc:v1:k:AAAA")).toBe(ENCRYPTED_PLACEHOLDER)
    expect(maskedTextOf("cratos:enc:v2:k:AAAA:not json")).toBe(ENCRYPTED_PLACEHOLDER)
  })

  it("says a stored event needs opening only for a v1 envelope or an unreadable masked copy", () => {
    const response = Events.responseSent({ text: "hi", channel: "cli", timestamp: at(3) })
    expect(maskStoredContent({ ...response, text: 'cratos:enc:v2:k:AAAA:"hi ***"' })).toEqual({
      ...response,
      text: "hi ***"
    })
    expect(maskStoredContent({ ...response, text: "cratos:enc:v1:k:AAAA" })).toBeUndefined()
    expect(maskStoredContent({ ...response, text: "cratos:enc:v2:k:AAAA:{" })).toBeUndefined()
    const tool = Events.toolInvoked({ tool: "shell", input: "cratos:enc:v1:k:AAAA", timestamp: at(4) })
    expect(maskStoredContent(tool)).toEqual({ ...tool, input: tool.input_masked })
    expect(rawValues(plan).map(([p]) => p)).toContain("plan.goal")
  })
})

describe("mapRawContent", () => {
  /** A value no generated field holds (fast-check's strings are short). */
  const CHANGED = "changed by the test: a value no generated event holds ".repeat(4)
  it("changes exactly the field f changes, in a copy, leaving the event and its other fields as they were", () =>
    fc.assert(
      fc.property(Arbitrary.make(ExecutionEvent), fc.nat(), (event, pick) => {
        const before = JSON.stringify(event)
        const paths = rawValues(event).map(([path]) => path)
        if (paths.length === 0) return
        const target = paths[pick % paths.length]!
        const out = mapRawContent(event, (value, path) => (path === target ? CHANGED : value))
        expect(out).not.toBe(event)
        expect(JSON.stringify(event)).toBe(before)
        expect(rawValues(out)).toEqual(
          rawValues(event).map(([path, value]) => [path, path === target ? CHANGED : value] as const)
        )
        // nothing outside the raw fields moved
        const blank = (e: ExecutionEvent) => JSON.stringify(mapRawContent(e, () => ""))
        expect(blank(out)).toBe(blank(event))
      }),
      { numRuns: 300 }
    ))

  it("gives back the event itself, not a copy, when f gives back every value as it was", () =>
    fc.assert(
      fc.property(Arbitrary.make(ExecutionEvent), (event) => {
        expect(mapRawContent(event, (value) => value)).toBe(event)
      }),
      { numRuns: 300 }
    ))
})
