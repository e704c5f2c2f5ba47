/** Progress lines while an execution runs (stderr; masked data only). */
import type { Progress } from "../agent/AgentShape.js"
import { duration, ICONS, jsonLine } from "./Timeline.js"

export const progressLine = (p: Progress): string => {
  switch (p._tag) {
    case "Planned": {
      const steps = p.plan.steps
      return steps.length === 0
        ? `${ICONS.PlanGenerated} no steps to run`
        : `${ICONS.PlanGenerated} plan: ${steps.length} step${steps.length === 1 ? "" : "s"} (${steps.map((s) => s.tool).join(", ")}), risk ${p.plan.estimated_risk}`
    }
    case "StepStarted":
      return `${ICONS.ToolInvoked} step ${p.stepIndex + 1} ${p.tool} ${jsonLine(p.inputMasked, 80)} …`
    case "StepFinished":
      return `${p.success ? ICONS.ToolCompleted : ICONS.ToolFailed} step ${p.stepIndex + 1} ${p.tool} ${p.success ? "done" : "failed"} in ${duration(p.durationMs)}`
    case "StepDeclined":
      return `${ICONS.ApprovalDeclined} step ${p.stepIndex + 1} ${p.tool} declined: not run`
  }
}
