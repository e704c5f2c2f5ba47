/**
 * What every planner implements (`RulePlanner.make`, `LlmPlanner.make`) and the `Planner`
 * service offers. A file of its own so the implementations do not import the service that
 * imports them.
 */
import type { Effect } from "effect"
import type { PlannerError } from "./PlannerError.js"
import type { PlanResult } from "./PlanResult.js"

export interface PlannerShape {
  readonly plan: (text: string) => Effect.Effect<PlanResult, PlannerError>
}
