/**
 * The planner: turns a person's text into an ExecutionPlan. Two implementations: the offline
 * rule planner (`RulePlanner`, the default) and an OpenAI-compatible chat-completions planner
 * (`LlmPlanner`). Both build the plan with the domain's `makePlan`, so risk and approval come
 * from the tool registry and the policy, never from the planner's own say-so.
 */
import { Context, Layer } from "effect"
import type { Effect } from "effect"
import type { PlannerError, PlanResult } from "../agent/Agent.js"
import * as LlmPlanner from "./LlmPlanner.js"
import * as RulePlanner from "./RulePlanner.js"

export interface PlannerShape {
  readonly plan: (text: string) => Effect.Effect<PlanResult, PlannerError>
}

export class Planner extends Context.Tag("@cratos/agent/Planner")<Planner, PlannerShape>() {
  /** The built-in rule planner (offline, model "rules", 0 tokens). */
  static readonly layerRules: Layer.Layer<Planner> = Layer.sync(Planner, () => RulePlanner.make())
  /** The chat-completions planner, configured by CRATOS_LLM_BASE_URL / _MODEL / _API_KEY. */
  static readonly layerLlm = Layer.effect(Planner, LlmPlanner.fromConfig)
}
