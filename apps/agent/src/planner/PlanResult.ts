/** What a planner returns: the plan, and what PlanGenerated records about how it was made. */
import type { ExecutionPlan } from "@cratos/domain"

export interface PlanResult {
  readonly plan: ExecutionPlan
  readonly model_used: string
  readonly tokens_used: number
  /**
   * What to tell the person when the plan has no steps (added): the rule planner's list of
   * requests it understands, or the model's explanation. Not recorded in PlanGenerated.
   */
  readonly reply?: string
}
