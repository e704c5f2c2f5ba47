/**
 * Plan rules: a plan's steps form a DAG by `depends_on`. Validation reports what is wrong
 * (a dangling index, a self-dependency, a cycle with its steps), and a valid plan is ordered
 * topologically and cut into waves of steps that can run side by side.
 */
import { Data, Either } from "effect"
import type { ExecutionPlan } from "./ExecutionPlan.js"
import type { PlanStep } from "./PlanStep.js"
import * as Risk from "./RiskLevel.js"
import type { RiskLevel } from "./RiskLevel.js"
import { type ApprovalPolicy, needsApproval, riskOf, type ToolRiskRegistry } from "./ToolRisk.js"

/** Why a plan is not a DAG. */
export class PlanError extends Data.TaggedError("PlanError")<{
  readonly rule: "dangling-dependency" | "self-dependency" | "dependency-cycle"
  /** The steps involved: for a cycle, the steps around it in order. */
  readonly steps: ReadonlyArray<number>
  readonly detail: string
}> {
  override get message() {
    return this.detail
  }
}

/** Checks every `depends_on` index exists, no step depends on itself, and there is no cycle. */
export const validatePlan = (steps: ReadonlyArray<PlanStep>): Either.Either<ReadonlyArray<PlanStep>, PlanError> => {
  for (let i = 0; i < steps.length; i++) {
    for (const dep of steps[i]!.depends_on) {
      if (dep === i) {
        return Either.left(
          new PlanError({ rule: "self-dependency", steps: [i], detail: `step ${i} depends on itself` })
        )
      }
      if (!Number.isInteger(dep) || dep < 0 || dep >= steps.length) {
        return Either.left(
          new PlanError({
            rule: "dangling-dependency",
            steps: [i],
            detail: `step ${i} depends on step ${dep}, but the plan has ${steps.length} step(s)`
          })
        )
      }
    }
  }
  const cycle = findCycle(steps)
  return cycle === undefined
    ? Either.right(steps)
    : Either.left(
        new PlanError({
          rule: "dependency-cycle",
          steps: cycle,
          detail: `steps form a cycle: ${[...cycle, cycle[0]].join(" -> ")}`
        })
      )
}

/** A cycle among the steps (each depends on the next), found by an iterative DFS. */
const findCycle = (steps: ReadonlyArray<PlanStep>): ReadonlyArray<number> | undefined => {
  const WHITE = 0
  const GREY = 1
  const BLACK = 2
  const color = new Uint8Array(steps.length)
  for (let root = 0; root < steps.length; root++) {
    if (color[root] !== WHITE) continue
    const path: Array<number> = [root]
    const next: Array<number> = [0]
    color[root] = GREY
    while (path.length > 0) {
      const node = path[path.length - 1]!
      const deps = steps[node]!.depends_on
      const k = next[next.length - 1]!
      if (k < deps.length) {
        next[next.length - 1] = k + 1
        const dep = deps[k]!
        if (color[dep] === GREY) return path.slice(path.indexOf(dep))
        if (color[dep] === WHITE) {
          color[dep] = GREY
          path.push(dep)
          next.push(0)
        }
      } else {
        color[node] = BLACK
        path.pop()
        next.pop()
      }
    }
  }
  return undefined
}

/**
 * The steps in waves: wave 0 depends on nothing, wave n on earlier waves only. Steps inside a
 * wave are independent and ordered by index. Fails like {@link validatePlan}.
 */
export const planWaves = (
  steps: ReadonlyArray<PlanStep>
): Either.Either<ReadonlyArray<ReadonlyArray<number>>, PlanError> =>
  Either.map(validatePlan(steps), () => {
    const level = new Array<number>(steps.length).fill(-1)
    const levelOf = (root: number): number => {
      // iterative post-order over dependencies
      const stack: Array<number> = [root]
      while (stack.length > 0) {
        const node = stack[stack.length - 1]!
        if (level[node]! >= 0) {
          stack.pop()
          continue
        }
        const pending = steps[node]!.depends_on.filter((d) => level[d]! < 0)
        if (pending.length > 0) stack.push(...pending)
        else {
          level[node] = steps[node]!.depends_on.reduce((m, d) => Math.max(m, level[d]! + 1), 0)
          stack.pop()
        }
      }
      return level[root]!
    }
    const waves: Array<Array<number>> = []
    for (let i = 0; i < steps.length; i++) {
      const l = levelOf(i)
      ;(waves[l] ??= []).push(i)
    }
    return waves
  })

/** A topological order of the steps (wave by wave, by index inside a wave). */
export const topologicalOrder = (steps: ReadonlyArray<PlanStep>): Either.Either<ReadonlyArray<number>, PlanError> =>
  Either.map(planWaves(steps), (waves) => waves.flat())

/** The highest risk among the steps (Read for an empty plan). */
export const estimateRisk = (registry: ToolRiskRegistry, steps: ReadonlyArray<PlanStep>): RiskLevel =>
  steps.reduce<RiskLevel>((acc, step) => Risk.max(acc, riskOf(registry, step.tool)), "Read")

/**
 * Builds a valid plan: validates the DAG, sets `estimated_risk` to the highest step risk and
 * `requires_approval` from the policy.
 */
export const makePlan = (
  input: { readonly goal: string; readonly steps: ReadonlyArray<PlanStep> },
  registry: ToolRiskRegistry,
  policy: ApprovalPolicy
): Either.Either<ExecutionPlan, PlanError> =>
  Either.map(validatePlan(input.steps), (steps) => {
    const estimated_risk = estimateRisk(registry, steps)
    return { goal: input.goal, steps, estimated_risk, requires_approval: needsApproval(policy, estimated_risk) }
  })
