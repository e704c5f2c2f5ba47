import { Events } from "@cratos/domain"
import { at, sample } from "@cratos/domain/testing"
import { describe, expect, it } from "vitest"
import { spansOf } from "./waterfall.js"

describe("spansOf", () => {
  it("pairs each call with the completion that closes it, on the execution's time axis", () => {
    const events = [
      sample.message(0),
      Events.toolInvoked({ tool: "a", input: {}, timestamp: at(1) }),
      Events.toolInvoked({ tool: "b", input: {}, timestamp: at(1) }),
      Events.toolCompleted({
        tool: "b",
        output: { success: false, output: null, error: "x" },
        duration_ms: 1000,
        timestamp: at(2)
      }),
      Events.toolCompleted({
        tool: "a",
        output: { success: true, output: 1, error: null },
        duration_ms: 3000,
        timestamp: at(4)
      }),
      Events.toolInvoked({ tool: "a", input: {}, timestamp: at(5) }),
      sample.error(true, 6)
    ]
    const { spans, totalMs } = spansOf(events)
    expect(spans).toEqual([
      { tool: "a", index: 1, startMs: 1000, endMs: 4000, status: "ok" },
      { tool: "b", index: 2, startMs: 1000, endMs: 2000, status: "failed" },
      { tool: "a", index: 5, startMs: 5000, endMs: 6000, status: "open" }
    ])
    expect(totalMs).toBe(6000)
  })
  it("has nothing to draw without events", () => {
    expect(spansOf([])).toEqual({ spans: [], totalMs: 0 })
  })
})
