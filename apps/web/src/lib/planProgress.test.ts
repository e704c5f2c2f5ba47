import { Events, type ExecutionEvent } from "@cratos/domain"
import { at, sample } from "@cratos/domain/testing"
import { describe, expect, it } from "vitest"
import { layoutPlan } from "./planLayout.js"
import { planOf, stepProgress, wavesOf } from "./planProgress.js"

// 0: read a, 1: read b, 2: write c (after 0 and 1), 3: list (no deps, no dependents)
const plan = {
  goal: "combine",
  steps: [
    { description: "read a", tool: "file_read", input: { path: "a" }, depends_on: [] },
    { description: "read b", tool: "file_read", input: { path: "b" }, depends_on: [] },
    { description: "write c", tool: "file_write", input: { path: "c" }, depends_on: [0, 1] },
    { description: "list", tool: "file_list", input: {}, depends_on: [] }
  ],
  estimated_risk: "Write" as const,
  requires_approval: true
}
const planned = Events.planGenerated({ plan, model_used: "rules", tokens_used: 0, timestamp: at(1) })
const invoked = (tool: string, n: number) => Events.toolInvoked({ tool, input: {}, timestamp: at(n) })
const completed = (tool: string, success: boolean, n: number) =>
  Events.toolCompleted({
    tool,
    output: { success, output: null, error: success ? null : "no" },
    duration_ms: 5,
    timestamp: at(n)
  })

const history: ReadonlyArray<ExecutionEvent> = [
  sample.message(0),
  planned,
  invoked("file_read", 2),
  invoked("file_read", 3),
  invoked("file_list", 4),
  completed("file_read", true, 5),
  completed("file_list", true, 6),
  completed("file_read", false, 7),
  Events.approvalRequested({
    action: "write c",
    risk_level: "Write",
    tool: "file_write",
    description: "write",
    input: { path: "c" },
    step_index: 2,
    timestamp: at(8)
  }),
  Events.approvalReceived({ approved: false, timestamp: at(9) }),
  Events.responseSent({ text: "done", channel: "cli", timestamp: at(10) })
]

describe("stepProgress", () => {
  it("maps tool calls to steps in the order the agent runs them and closes the earliest open call", () => {
    expect(stepProgress(plan, history).map((p) => p.outcome)).toEqual(["succeeded", "failed", "declined", "succeeded"])
  })
  it("shows the state after the first N events (time travel)", () => {
    expect(stepProgress(plan, history.slice(0, 2)).map((p) => p.outcome)).toEqual([
      "pending",
      "pending",
      "pending",
      "pending"
    ])
    expect(stepProgress(plan, history.slice(0, 5)).map((p) => p.outcome)).toEqual([
      "running",
      "running",
      "pending",
      "running"
    ])
    expect(stepProgress(plan, history.slice(0, 9)).map((p) => p.outcome)).toEqual([
      "succeeded",
      "failed",
      "awaiting approval",
      "succeeded"
    ])
  })
  it("marks steps never reached as skipped once the execution has ended", () => {
    const ended = [
      sample.message(0),
      planned,
      Events.errorOccurred({ error: "x", error_type: "Internal", recoverable: false, timestamp: at(2) })
    ]
    expect(stepProgress(plan, ended).every((p) => p.outcome === "skipped")).toBe(true)
  })
  it("finds the last plan", () => {
    expect(planOf(history)).toBe(plan)
    expect(planOf([sample.message(0)])).toBeNull()
  })
})

describe("layoutPlan", () => {
  it("draws one node per step, one edge per dependency, and puts each step in its wave's column", () => {
    const layout = layoutPlan(plan)
    expect(layout.nodes).toHaveLength(4)
    expect(layout.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(["0->2", "1->2"])
    expect(wavesOf(plan)).toEqual([[0, 1, 3], [2]])
    const x = layout.nodes.map((n) => n.x)
    // wave 0: steps 0, 1 and 3 share a column (3 has no dependents, dagre alone may move it right)
    expect(x[0]).toBe(x[1])
    expect(x[3]).toBe(x[0])
    expect(x[2]!).toBeGreaterThan(x[0]!)
    // nodes of one column do not overlap
    const ys = [0, 1, 3].map((i) => layout.nodes[i]!.y).sort((a, b) => a - b)
    expect(ys[1]! - ys[0]!).toBeGreaterThanOrEqual(70)
    expect(ys[2]! - ys[1]!).toBeGreaterThanOrEqual(70)
    expect(Math.min(...layout.nodes.map((n) => n.x))).toBeGreaterThan(0)
  })
})
