import { Events, type ExecutionEvent } from "@cratos/domain"
import { sample } from "@cratos/domain/testing"
import { newKey, sealEvent } from "@cratos/store"
import { describe, expect, it } from "@effect/vitest"
import { given, projectorBackends } from "./harness.js"

const t = (n: number) => sample.message(n).timestamp

describe.each(projectorBackends())("projections on $name", (backend) => {
  describe("execution status projection", () => {
    it.effect("an execution with only its MessageReceived is pending", () =>
      given(["e1", [sample.message(0)]])
        .whenProjected({}, backend)
        .then(({ execution }) => {
          expect(execution("e1")).toMatchObject({ status: "pending", completed_at: null })
        })
    )

    it.effect("any later event makes it running", () =>
      given(["e1", [sample.message(0), sample.plan(1)]], ["e2", [sample.message(0), sample.error(true, 1)]])
        .whenProjected({}, backend)
        .then(({ execution }) => {
          expect(execution("e1")).toMatchObject({ status: "running", completed_at: null })
          expect(execution("e2")).toMatchObject({ status: "running", completed_at: null })
        })
    )

    it.effect("a ResponseSent completes it, at the response's time", () =>
      given([
        "e1",
        [
          sample.message(0),
          sample.plan(1),
          sample.toolInvoked("file_read", 2),
          sample.toolCompleted("file_read", true, 3),
          sample.response(4)
        ]
      ])
        .whenProjected({}, backend)
        .then(({ execution }) => {
          expect(execution("e1")).toMatchObject({ status: "completed", completed_at: t(4) })
        })
    )

    it.effect("a fatal error fails it, and the one ResponseSent after it keeps it failed at the error's time", () =>
      given(
        ["e1", [sample.message(0), sample.plan(1), sample.error(false, 2), sample.response(3)]],
        ["e2", [sample.message(0), sample.error(false, 5)]]
      )
        .whenProjected({}, backend)
        .then(({ execution }) => {
          expect(execution("e1")).toMatchObject({ status: "failed", completed_at: t(2) })
          expect(execution("e2")).toMatchObject({ status: "failed", completed_at: t(5) })
        })
    )

    it.effect("a recoverable error leaves it running, and it can still complete", () =>
      given(
        ["e1", [sample.message(0), sample.plan(1), sample.error(true, 2)]],
        ["e2", [sample.message(0), sample.plan(1), sample.error(true, 2), sample.response(3)]]
      )
        .whenProjected({}, backend)
        .then(({ execution }) => {
          expect(execution("e1")).toMatchObject({ status: "running", completed_at: null })
          expect(execution("e2")).toMatchObject({ status: "completed", completed_at: t(3) })
        })
    )

    it.effect("the status is the same whatever the batch size splitting the history", () =>
      given([
        "e1",
        [sample.message(0), sample.plan(1), sample.error(true, 2), sample.error(false, 3), sample.response(4)]
      ])
        .whenProjected({ batchSize: 1 }, backend)
        .then(({ execution, checkpoints }) => {
          expect(execution("e1")).toMatchObject({ status: "failed", completed_at: t(3) })
          expect(checkpoints.every((c) => c.position === 5)).toBe(true)
        })
    )
  })

  describe("execution summary projection", () => {
    it.effect("folds every field of a full history", () =>
      given([
        "e1",
        [
          sample.message(0),
          sample.plan(1),
          sample.approvalRequested(2),
          sample.approvalReceived(true, 3),
          sample.toolInvoked("file_read", 4),
          sample.toolCompleted("file_read", true, 5),
          sample.toolInvoked("shell", 6),
          sample.toolCompleted("shell", false, 7),
          sample.error(true, 8),
          sample.plan(9),
          sample.toolInvoked("file_read", 10),
          sample.toolCompleted("file_read", true, 11),
          sample.response(12)
        ]
      ])
        .whenProjected({ batchSize: 4 }, backend)
        .then(({ summary }) => {
          const s = summary("e1")
          expect(s.event_count).toBe(13)
          expect(s.goal).toBe("read README.md")
          expect(s.step_count).toBe(1)
          expect(JSON.parse(s.tools_used as string)).toEqual(["file_read", "shell"])
          expect(s.tool_calls).toBe(3)
          expect(s.tool_failures).toBe(1)
          expect(s.tool_time_ms).toBe(36)
          expect(s.tokens_used).toBe(0)
          expect(s.model_used).toBe("rules")
          expect(s.approval_pending).toBe(0)
          expect(s.error_count).toBe(1)
          expect(s.first_event_at).toBe(t(0))
          expect(s.last_event_at).toBe(t(12))
          expect(s.last_position).toBe(13)
        })
    )

    it.effect("keeps a plan's goal masked, from a sealed plan's masked copy (no key) or a plaintext goal", () => {
      const SECRET = "ghp_R8kP2mX7nQ4vL9tB3wY6zH1jD5fC0aS2eU7Q"
      const plan = (goal: string): ExecutionEvent =>
        Events.planGenerated({
          plan: {
            goal,
            steps: [{ description: goal, tool: "shell", input: { token: SECRET }, depends_on: [] }],
            estimated_risk: "Read",
            requires_approval: false
          },
          model_used: "m",
          tokens_used: 1,
          timestamp: t(1)
        })
      const sealed = sealEvent({ userId: "user-1", keyId: "k1", key: newKey() }, "e1", plan(`push with ${SECRET}`))
      return given(["e1", [sample.message(0), sealed]], ["e2", [sample.message(0), plan(`push with ${SECRET}`)]])
        .whenProjected({}, backend)
        .then(({ summary }) => {
          expect(summary("e1").goal).toBe("push with ***MASKED***")
          expect(summary("e2").goal).toBe("push with ***MASKED***")
          expect(summary("e1").step_count).toBe(1)
        })
    })

    it.effect("an unanswered ApprovalRequested is pending", () =>
      given(["e1", [sample.message(0), sample.plan(1), sample.approvalRequested(2)]])
        .whenProjected({}, backend)
        .then(({ summary }) => {
          expect(summary("e1")).toMatchObject({ approval_pending: 1, event_count: 3, tool_calls: 0, tools_used: "[]" })
        })
    )

    it.effect("writes one tool_calls row per ToolCompleted, keyed by position", () =>
      given(["e1", [sample.message(0), sample.toolInvoked("a", 1), sample.toolCompleted("a", false, 2)]])
        .whenProjected({}, backend)
        .then(({ toolCalls }) => {
          expect(toolCalls).toEqual([
            { position: 3, execution_id: "e1", tool: "a", success: 0, duration_ms: 12, completed_at: t(2) }
          ])
        })
    )
  })
})
