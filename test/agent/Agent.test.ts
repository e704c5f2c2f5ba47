import { readFile, stat } from "node:fs/promises"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { EventStore } from "@cratos/store"
import { Deferred, Effect, Either, Exit, Fiber } from "effect"
import { Agent } from "../../apps/agent/src/agent/Agent.js"
import type { ApprovalPrompt, Progress } from "../../apps/agent/src/agent/AgentShape.js"
import { HELP } from "../../apps/agent/src/planner/RulePlanner.js"
import { agentLayer, eventsOf, no, ofType, request, run, statusOf, typesOf, workspace } from "./harness.js"

describe("Agent.run (SQLite in memory)", () => {
  it.scopedLive("a read request completes: message, plan, tool, response", () =>
    Effect.gen(function* () {
      const ws = yield* workspace({ "README.md": "# Hello\nworld\n" })
      const result = yield* run(request(ws, "read README.md"))
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ToolInvoked",
        "ToolCompleted",
        "ResponseSent"
      ])
      expect(statusOf(events)).toBe("completed")
      expect(result.status).toBe("completed")
      expect(result.response).toBe("# Hello\nworld\n")
      expect(ofType(events, "ResponseSent")[0]).toMatchObject({ text: "# Hello\nworld\n", channel: "cli" })
      expect(ofType(events, "PlanGenerated")[0]).toMatchObject({ model_used: "rules", tokens_used: 0 })
      expect(ofType(events, "ToolCompleted")[0]!.output).toMatchObject({ success: true, error: null })
      const message = ofType(events, "MessageReceived")[0]!.message
      expect(message).toMatchObject({
        channel_type: "cli",
        user_id: "tester",
        text: "read README.md",
        is_command: false,
        is_reply: false,
        thread_id: null
      })
      expect(message.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(result.lastPosition).toBe(yield* Effect.flatMap(EventStore, (s) => s.lastPosition))
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a write declined by the approver writes nothing and says so", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const prompts: Array<ApprovalPrompt> = []
      const result = yield* run(
        request(ws, "write notes.md: remember the milk", {
          approve: (prompt) => Effect.sync(() => prompts.push(prompt)).pipe(Effect.as(false))
        })
      )
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ApprovalRequested",
        "ApprovalReceived",
        "ResponseSent"
      ])
      expect(ofType(events, "ApprovalReceived")[0]).toMatchObject({ approved: false, modified: null })
      expect(ofType(events, "ApprovalRequested")[0]).toMatchObject({
        risk_level: "Write",
        details: { tool: "file_write", step_index: 0, input_masked: { path: "notes.md", content: "remember the milk" } }
      })
      expect(prompts).toEqual([
        {
          executionId: result.executionId,
          stepIndex: 0,
          tool: "file_write",
          description: "Write notes.md",
          riskLevel: "Write",
          inputMasked: { path: "notes.md", content: "remember the milk" }
        }
      ])
      expect(result.response).toContain("approval was declined, nothing was changed")
      expect(result.status).toBe("completed")
      const exists = yield* Effect.promise(() =>
        stat(path.join(ws, "notes.md")).then(
          () => true,
          () => false
        )
      )
      expect(exists).toBe(false)
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a write approved writes the file", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "write notes.md: remember the milk"))
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ApprovalRequested",
        "ApprovalReceived",
        "ToolInvoked",
        "ToolCompleted",
        "ResponseSent"
      ])
      expect(ofType(events, "ApprovalReceived")[0]!.approved).toBe(true)
      expect(yield* Effect.promise(() => readFile(path.join(ws, "notes.md"), "utf8"))).toBe("remember the milk")
      expect(result.response).toBe("Created notes.md (17 bytes)")
      expect(result.status).toBe("completed")
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a failing tool is a recoverable error and the execution still completes with a response", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "read missing.txt"))
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ToolInvoked",
        "ToolCompleted",
        "ErrorOccurred",
        "ResponseSent"
      ])
      expect(ofType(events, "ToolCompleted")[0]!.output).toEqual({
        success: false,
        output: null,
        error: "missing.txt: no such file or directory"
      })
      expect(ofType(events, "ErrorOccurred")[0]).toMatchObject({
        error_type: "Validation",
        recoverable: true,
        error: "step 1 (file_read) failed: missing.txt: no such file or directory"
      })
      expect(statusOf(events)).toBe("completed")
      expect(result.response).toBe(
        "0 of 1 step done; 1 failed.\n\n[1/1] Read missing.txt (file_read): failed (Validation): missing.txt: no such file or directory"
      )
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a path outside the workspace is a Permission error", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "read ../../etc/passwd"))
      const events = yield* eventsOf(result.executionId)
      expect(ofType(events, "ErrorOccurred")[0]).toMatchObject({ error_type: "Permission", recoverable: true })
      expect(result.response).not.toContain("root:")
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a planner failure is fatal: ErrorOccurred(recoverable false), then a response; status failed", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "anything", { planner: "llm" }))
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual(["MessageReceived", "ErrorOccurred", "ResponseSent"])
      expect(ofType(events, "ErrorOccurred")[0]).toMatchObject({
        error_type: "Validation",
        recoverable: false,
        error: "planning failed: no llm planner is configured"
      })
      expect(statusOf(events)).toBe("failed")
      expect(result.status).toBe("failed")
      expect(result.response).toBe("I could not plan this request (Validation): no llm planner is configured")
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("an unknown request answers with what the rule planner understands", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "make me a sandwich"))
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual(["MessageReceived", "PlanGenerated", "ResponseSent"])
      expect(result.response).toBe(`I did not understand "make me a sandwich".\n${HELP}`)
      expect(result.status).toBe("completed")
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("two independent steps run in one wave", () =>
    Effect.gen(function* () {
      const ws = yield* workspace({ "a.txt": "alpha", "b.txt": "beta" })
      const progress: Array<Progress> = []
      const result = yield* run(request(ws, "read a.txt and b.txt", { onProgress: (p) => progress.push(p) }))
      const events = yield* eventsOf(result.executionId)
      expect(ofType(events, "ToolInvoked").map((e) => e.input)).toEqual(
        expect.arrayContaining([{ path: "a.txt" }, { path: "b.txt" }])
      )
      expect(result.response).toBe(
        "2 of 2 steps done.\n\n[1/2] Read a.txt (file_read)\nalpha\n\n[2/2] Read b.txt (file_read)\nbeta"
      )
      expect(progress.map((p) => p._tag)).toEqual([
        "Planned",
        "StepStarted",
        "StepStarted",
        "StepFinished",
        "StepFinished"
      ])
      expect(result.status).toBe("completed")
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a step whose dependency failed is skipped and reported", () =>
    Effect.gen(function* () {
      const ws = yield* workspace({ "b.txt": "beta" })
      const result = yield* run(request(ws, "read missing.txt then read b.txt"))
      const events = yield* eventsOf(result.executionId)
      expect(ofType(events, "ToolInvoked")).toHaveLength(1)
      expect(result.response).toContain("[2/2] Read b.txt (file_read): skipped: it depends on step 1, which failed")
      expect(result.response.startsWith("0 of 2 steps done; 1 failed, 1 skipped.")).toBe(true)
      expect(result.status).toBe("completed")
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a declined step skips what depends on it, and approvals come before the wave runs", () =>
    Effect.gen(function* () {
      const ws = yield* workspace({ "b.txt": "beta" })
      const result = yield* run(request(ws, `write "x" to a.txt and read b.txt then read a.txt`, { approve: no }))
      const events = yield* eventsOf(result.executionId)
      expect(typesOf(events)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ApprovalRequested",
        "ApprovalReceived",
        "ToolInvoked",
        "ToolCompleted",
        "ResponseSent"
      ])
      expect(result.response).toContain("[1/3] Write a.txt (file_write): not run: approval was declined")
      expect(result.response).toContain("[2/3] Read b.txt (file_read)\nbeta")
      expect(result.response).toContain(
        "[3/3] Read a.txt (file_read): skipped: it depends on step 1, which was declined"
      )
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a rerun records the original execution as the thread, as a reply", () =>
    Effect.gen(function* () {
      const ws = yield* workspace({ "a.txt": "alpha" })
      const first = yield* run(request(ws, "read a.txt"))
      const again = yield* run(request(ws, "read a.txt", { rerunOf: first.executionId }))
      const message = ofType(yield* eventsOf(again.executionId), "MessageReceived")[0]!.message
      expect(message).toMatchObject({ thread_id: first.executionId, is_reply: true })
      expect(again.executionId).not.toBe(first.executionId)
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("a slash command is recorded as a command", () =>
    Effect.gen(function* () {
      const ws = yield* workspace({ "a.txt": "alpha" })
      const result = yield* run(request(ws, "/read a.txt"))
      const message = ofType(yield* eventsOf(result.executionId), "MessageReceived")[0]!.message
      expect(message).toMatchObject({ is_command: true, command: "read", command_args: "a.txt" })
      expect(result.response).toBe("alpha")
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("Agent.plan plans and records nothing", () =>
    Effect.gen(function* () {
      const agent = yield* Agent
      const store = yield* EventStore
      const before = yield* store.lastPosition
      const planned = yield* agent.plan("write a.txt: x then read a.txt", "rules")
      expect(planned.plan.steps).toHaveLength(1)
      expect(planned.plan).toMatchObject({ estimated_risk: "Write", requires_approval: true })
      expect(yield* store.lastPosition).toBe(before)
      const failed = yield* Effect.either(agent.plan("x", "llm"))
      expect(Either.isLeft(failed) && failed.left._tag).toBe("PlannerError")
      expect(yield* store.lastPosition).toBe(before)
    }).pipe(Effect.provide(agentLayer()))
  )

  it.scopedLive("an interrupted run is closed as failed", () =>
    Effect.gen(function* () {
      const ws = yield* workspace()
      const asked = yield* Deferred.make<string>()
      const fiber = yield* Effect.fork(
        run(
          request(ws, "write a.txt: x", {
            approve: (prompt) => Deferred.succeed(asked, prompt.executionId).pipe(Effect.zipRight(Effect.never))
          })
        )
      )
      const executionId = yield* Deferred.await(asked)
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      const events = yield* eventsOf(executionId)
      expect(typesOf(events)).toEqual([
        "MessageReceived",
        "PlanGenerated",
        "ApprovalRequested",
        "ErrorOccurred",
        "ResponseSent"
      ])
      expect(ofType(events, "ErrorOccurred")[0]).toMatchObject({ error_type: "Internal", recoverable: false })
      expect(statusOf(events)).toBe("failed")
    }).pipe(Effect.provide(agentLayer()))
  )
})

describe("waves", () => {
  /** A Read tool that finishes only once `parties` calls are running at the same time. */
  const barrierTool = (parties: number, seen: { running: number; peak: number }) => {
    let arrived = 0
    let release: () => void = () => undefined
    const all = new Promise<void>((r) => (release = r))
    return {
      name: "file_read",
      risk: "Read" as const,
      summary: "test barrier",
      inputShape: "{}",
      run: (input: unknown) =>
        Effect.sync(() => {
          seen.running++
          seen.peak = Math.max(seen.peak, seen.running)
          if (++arrived >= parties) release()
        }).pipe(
          Effect.zipRight(Effect.promise(() => all)),
          Effect.as({ output: input, text: JSON.stringify(input) }),
          Effect.ensuring(Effect.sync(() => seen.running--))
        )
    }
  }

  it.scopedLive("independent steps run at the same time (the wave waits for all of them)", () => {
    const seen = { running: 0, peak: 0 }
    return Effect.gen(function* () {
      const ws = yield* workspace()
      const result = yield* run(request(ws, "read a and b and c"))
      const events = yield* eventsOf(result.executionId)
      expect(seen.peak).toBe(3)
      expect(typesOf(events).slice(2, 8)).toEqual([
        "ToolInvoked",
        "ToolInvoked",
        "ToolInvoked",
        "ToolCompleted",
        "ToolCompleted",
        "ToolCompleted"
      ])
      expect(result.response.startsWith("3 of 3 steps done.")).toBe(true)
    }).pipe(Effect.provide(agentLayer({ tools: { tools: [barrierTool(3, seen)] } })))
  })

  it.scopedLive("concurrency is bounded", () => {
    const seen = { running: 0, peak: 0 }
    return Effect.gen(function* () {
      const ws = yield* workspace()
      // with at most 2 at once, a barrier of 3 never opens: every step times out (defect → Internal)
      const result = yield* run(request(ws, "read a and b and c"))
      expect(seen.peak).toBe(2)
      expect(result.status).toBe("completed")
    }).pipe(
      Effect.provide(
        agentLayer({
          tools: { tools: [barrierTool(3, seen)], timeouts: { default: "500 millis" } },
          agent: { concurrency: 2 }
        })
      )
    )
  })
})
