import type { ExecutionPlan } from "@cratos/domain"
import { describe, expect, it } from "vitest"
import { composeResponse, DEFAULT_RESPONSE_BYTES } from "./Response.js"
import * as StepOutcome from "./StepOutcome.js"

const planOf = (...tools: Array<string>): ExecutionPlan => ({
  goal: "g",
  steps: tools.map((tool, i) => ({ description: `step ${i}`, tool, input: {}, depends_on: [] })),
  estimated_risk: "Read",
  requires_approval: false
})

describe("composeResponse", () => {
  it("one successful step answers with its text alone", () => {
    expect(composeResponse(planOf("file_read"), [StepOutcome.succeeded("hello")])).toBe("hello")
  })

  it("long output is truncated at 8 KiB with a note", () => {
    const text = composeResponse(planOf("file_read"), [StepOutcome.succeeded("x".repeat(20_000))])
    expect(text).toBe(
      "x".repeat(DEFAULT_RESPONSE_BYTES) + `\n… [truncated: showing ${DEFAULT_RESPONSE_BYTES} of 20000 bytes]`
    )
  })

  it("several steps: a summary, then each step's text or fate; step texts share the budget", () => {
    const text = composeResponse(
      planOf("file_read", "exec", "file_write", "file_read"),
      [
        StepOutcome.succeeded("y".repeat(5_000)),
        StepOutcome.failed("Internal", "the command exited with code 2", "oops\n"),
        StepOutcome.declined,
        { _tag: "Skipped", dependency: 2, because: "declined" }
      ],
      8192
    )
    const sections = text.split("\n\n")
    expect(sections[0]).toBe("1 of 4 steps done; 1 failed, 1 declined, 1 skipped.")
    expect(sections[1]).toBe(
      "[1/4] step 0 (file_read)\n" + "y".repeat(2048) + "\n… [truncated: showing 2048 of 5000 bytes]"
    )
    expect(sections[2]).toBe("[2/4] step 1 (exec): failed (Internal): the command exited with code 2\noops")
    expect(sections[3]).toBe("[3/4] step 2 (file_write): not run: approval was declined, nothing was changed")
    expect(sections[4]).toBe("[4/4] step 3 (file_read): skipped: it depends on step 3, which was declined")
    expect(Buffer.byteLength(text)).toBeLessThan(8192 + 100)
  })
})
