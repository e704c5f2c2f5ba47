/**
 * A plan as recorded in PlanGenerated. Decoding is structural (a recorded plan with a cycle is
 * still history); `Plan.ts` validates plans where they are produced.
 */
import { Schema } from "effect"
import { PlanStep } from "./PlanStep.js"
import { RiskLevel } from "./RiskLevel.js"

export const ExecutionPlan = Schema.Struct({
  goal: Schema.String,
  steps: Schema.Array(PlanStep),
  estimated_risk: RiskLevel,
  requires_approval: Schema.Boolean
}).annotations({ identifier: "ExecutionPlan" })
export type ExecutionPlan = typeof ExecutionPlan.Type
