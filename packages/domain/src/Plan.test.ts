import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { estimateRisk, makePlan, planWaves, topologicalOrder, validatePlan } from "./Plan.js"
import type { PlanStep } from "./PlanStep.js"
import { defaultApprovalPolicy, defaultToolRisks, needsApproval, riskOf } from "./ToolRisk.js"

const step = (tool: string, ...depends_on: Array<number>): PlanStep => ({
  description: tool,
  tool,
  input: {},
  depends_on
})

const error = (steps: ReadonlyArray<PlanStep>) =>
  Either.getOrThrowWith(Either.flip(validatePlan(steps)), () => new Error("expected a plan error"))

describe("plan validation", () => {
  it("accepts an empty plan and a DAG", () => {
    expect(Either.isRight(validatePlan([]))).toBe(true)
    expect(Either.isRight(validatePlan([step("a"), step("b", 0), step("c", 0, 1)]))).toBe(true)
  })

  it("rejects a dependency on a step that does not exist", () => {
    const e = error([step("a"), step("b", 2)])
    expect(e.rule).toBe("dangling-dependency")
    expect(e.message).toBe("step 1 depends on step 2, but the plan has 2 step(s)")
  })

  it("rejects a step that depends on itself", () => {
    expect(error([step("a", 0)]).rule).toBe("self-dependency")
  })

  it("reports the steps of a cycle", () => {
    const e = error([step("a"), step("b", 0, 3), step("c", 1), step("d", 2)])
    expect(e.rule).toBe("dependency-cycle")
    expect([...e.steps].sort()).toStrictEqual([1, 2, 3])
    expect(e.message).toMatch(/^steps form a cycle: \d -> \d -> \d -> \d$/)
  })

  it("handles a long chain without recursion", () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => (i === 0 ? step("a") : step("a", i - 1)))
    expect(Either.getOrThrow(planWaves(chain)).length).toBe(20_000)
  })
})

describe("plan order", () => {
  it("cuts a DAG into waves of independent steps", () => {
    const steps = [step("clone"), step("read", 0), step("list", 0), step("patch", 1), step("test", 0, 3)]
    expect(Either.getOrThrow(planWaves(steps))).toStrictEqual([[0], [1, 2], [3], [4]])
    expect(Either.getOrThrow(topologicalOrder(steps))).toStrictEqual([0, 1, 2, 3, 4])
  })

  it("puts every step after the steps it depends on", () => {
    const steps = [step("a", 2), step("b"), step("c", 1)]
    const order = Either.getOrThrow(topologicalOrder(steps))
    expect(order).toStrictEqual([1, 2, 0])
  })
})

describe("risk", () => {
  it("treats an unknown tool as Destructive", () => {
    expect(riskOf(defaultToolRisks, "rm_rf")).toBe("Destructive")
    expect(riskOf(defaultToolRisks, "constructor")).toBe("Destructive")
    expect(riskOf(defaultToolRisks, "file_read")).toBe("Read")
  })

  it("estimates a plan's risk as its highest step risk", () => {
    expect(estimateRisk(defaultToolRisks, [])).toBe("Read")
    expect(estimateRisk(defaultToolRisks, [step("file_read"), step("file_write")])).toBe("Write")
    expect(estimateRisk(defaultToolRisks, [step("file_read"), step("exec")])).toBe("Destructive")
  })

  it("asks for approval from Write up by default", () => {
    expect(needsApproval(defaultApprovalPolicy, "Read")).toBe(false)
    expect(needsApproval(defaultApprovalPolicy, "Write")).toBe(true)
    expect(needsApproval(defaultApprovalPolicy, "Destructive")).toBe(true)
    expect(needsApproval({ approveFrom: null }, "Destructive")).toBe(false)
  })

  it("makes a plan with its risk and approval filled in", () => {
    const plan = Either.getOrThrow(
      makePlan(
        { goal: "g", steps: [step("file_read"), step("file_write", 0)] },
        defaultToolRisks,
        defaultApprovalPolicy
      )
    )
    expect(plan.estimated_risk).toBe("Write")
    expect(plan.requires_approval).toBe(true)
    expect(Either.isLeft(makePlan({ goal: "g", steps: [step("a", 0)] }, defaultToolRisks, defaultApprovalPolicy))).toBe(
      true
    )
  })
})
