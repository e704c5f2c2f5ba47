import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { approvalLines, approveMode, isYes, makeApprover } from "./Approval.js"
import { makeMemory } from "./Output.js"
import { progressLine } from "./Progress.js"
import { layerLines, Terminal } from "./Terminal.js"

const SECRET = "sk-live-abcdef0123456789abcdef"
const prompt = {
  executionId: "e1",
  stepIndex: 0,
  tool: "http_get",
  description: "fetch the page",
  riskLevel: "Write" as const,
  inputMasked: { url: "https://example.com", api_key: "***MASKED***", note: `token=${SECRET}` }
}

const ask = (answers: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const memory = makeMemory()
    const terminal = yield* Terminal
    const yes = yield* makeApprover("ask", terminal, memory.shape)(prompt)
    return { yes, stderr: memory.stderr() }
  }).pipe(Effect.provide(layerLines(answers)))

describe("approvals", () => {
  it("defaults to ask on a terminal and no without one; a flag wins", () => {
    expect(approveMode(undefined, true)).toBe("ask")
    expect(approveMode(undefined, false)).toBe("no")
    expect(approveMode("yes", false)).toBe("yes")
    expect(approveMode("no", true)).toBe("no")
  })

  it("reads y, yes (any case) as yes and anything else as no", () => {
    for (const a of ["y", "Y", "yes", " YES "]) expect(isYes(a)).toBe(true)
    for (const a of ["", "n", "no", "yep", "sure", "y y"]) expect(isYes(a)).toBe(false)
  })

  it.effect("ask shows tool, risk, description and the masked input, then reads the answer", () =>
    Effect.gen(function* () {
      const yes = yield* ask(["y"])
      expect(yes.yes).toBe(true)
      expect(yes.stderr).toContain("approval needed: step 1 http_get (Write risk)")
      expect(yes.stderr).toContain("fetch the page")
      expect(yes.stderr).toContain('"api_key":"***MASKED***"')
      expect(yes.stderr).not.toContain(SECRET)
      expect((yield* ask(["n"])).yes).toBe(false)
      expect((yield* ask([])).yes).toBe(false)
    })
  )

  it.effect("yes and no answer without asking", () =>
    Effect.gen(function* () {
      const memory = makeMemory()
      const terminal = yield* Terminal
      expect(yield* makeApprover("yes", terminal, memory.shape)(prompt)).toBe(true)
      expect(yield* makeApprover("no", terminal, memory.shape)(prompt)).toBe(false)
      expect(memory.stderr()).toBe("")
    }).pipe(Effect.provide(layerLines([])))
  )

  it("approval lines never hold a raw secret", () => {
    expect(approvalLines(prompt).join("\n")).not.toContain(SECRET)
  })
})

describe("progress lines", () => {
  it("show plan, step start (masked input), finish, decline", () => {
    expect(
      progressLine({
        _tag: "Planned",
        plan: {
          goal: "g",
          steps: [{ description: "d", tool: "file_read", input: {}, depends_on: [] }],
          estimated_risk: "Read",
          requires_approval: false
        }
      })
    ).toBe("🧠 plan: 1 step (file_read), risk Read")
    expect(
      progressLine({ _tag: "StepStarted", stepIndex: 0, tool: "http_get", inputMasked: { password: SECRET } })
    ).toBe('🔧 step 1 http_get {"password":"***MASKED***"} …')
    expect(progressLine({ _tag: "StepFinished", stepIndex: 1, tool: "exec", success: false, durationMs: 1500 })).toBe(
      "✖ step 2 exec failed in 1.5s"
    )
    expect(progressLine({ _tag: "StepDeclined", stepIndex: 0, tool: "file_write" })).toBe(
      "❌ step 1 file_write declined: not run"
    )
  })
})
