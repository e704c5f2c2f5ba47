/**
 * Each plan step's outcome after the first N events, for the plan graph and time travel.
 *
 * Events name tools, not steps, so they are matched the way the agent runs a plan (domain
 * `planWaves`: wave by wave, by index inside a wave): a ToolInvoked belongs to the first step in
 * that order with the same tool that has not been invoked yet and was not declined; a
 * ToolCompleted closes the earliest open call of its tool (the decider's rule). ApprovalRequested
 * names its step (`details.step_index`). Steps never reached are `pending`, or `skipped` once the
 * execution has ended. Pure.
 */
import { Either } from "effect"
import { planWaves } from "@cratos/domain"
import type { ExecutionEvent } from "../api/types.js"

export type StepOutcome = "pending" | "awaiting approval" | "declined" | "running" | "succeeded" | "failed" | "skipped"

export interface StepProgress {
  readonly outcome: StepOutcome
  readonly durationMs: number | null
  readonly error: string | null
}

type Plan = Extract<ExecutionEvent, { type: "PlanGenerated" }>["plan"]

/** The waves of a plan (columns of the graph); one wave per step when the plan is not a DAG. */
export const wavesOf = (plan: Plan): ReadonlyArray<ReadonlyArray<number>> =>
  Either.getOrElse(planWaves(plan.steps), () => plan.steps.map((_, i) => [i]))

/** The last plan among the events, or null. */
export const planOf = (events: ReadonlyArray<ExecutionEvent>): Plan | null => {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!
    if (e.type === "PlanGenerated") return e.plan
  }
  return null
}

export const stepProgress = (plan: Plan, events: ReadonlyArray<ExecutionEvent>): ReadonlyArray<StepProgress> => {
  const order = wavesOf(plan).flat()
  const progress: Array<{ outcome: StepOutcome; durationMs: number | null; error: string | null }> = plan.steps.map(
    () => ({
      outcome: "pending",
      durationMs: null,
      error: null
    })
  )
  const invoked = new Set<number>()
  const open: Array<number> = []
  let approvalStep: number | null = null
  let ended = false
  for (const event of events) {
    switch (event.type) {
      case "ApprovalRequested": {
        const i = event.details.step_index
        approvalStep = i !== null && i >= 0 && i < progress.length ? i : null
        if (approvalStep !== null) progress[approvalStep]!.outcome = "awaiting approval"
        break
      }
      case "ApprovalReceived":
        if (approvalStep !== null) progress[approvalStep]!.outcome = event.approved ? "pending" : "declined"
        approvalStep = null
        break
      case "ToolInvoked": {
        const i = order.find(
          (s) => !invoked.has(s) && plan.steps[s]!.tool === event.tool && progress[s]!.outcome !== "declined"
        )
        if (i !== undefined) {
          invoked.add(i)
          open.push(i)
          progress[i]!.outcome = "running"
        }
        break
      }
      case "ToolCompleted": {
        const at = open.findIndex((s) => plan.steps[s]!.tool === event.tool)
        if (at >= 0) {
          const i = open.splice(at, 1)[0]!
          const r = event.output_masked
          progress[i] = { outcome: r.success ? "succeeded" : "failed", durationMs: event.duration_ms, error: r.error }
        }
        break
      }
      case "ResponseSent":
        ended = true
        break
      case "ErrorOccurred":
        if (!event.recoverable) ended = true
        break
      default:
        break
    }
  }
  if (ended) for (const p of progress) if (p.outcome === "pending") p.outcome = "skipped"
  return progress
}
